from enterprises.models.businesses import (
    Business,
    FollowUp,
    Repayment,
    RepaymentLine,
    Support,
    Tranche,
)
from enterprises.models.enterprises import (
    Employment,
    EnterpriseMonthlyResult,
    Position,
    RateChange,
    SocialEnterprise,
)
from enterprises.models.placements import JobPlacement, PlacementMonth, RetentionCheck

__all__ = [
    "Business",
    "Employment",
    "EnterpriseMonthlyResult",
    "FollowUp",
    "JobPlacement",
    "PlacementMonth",
    "Position",
    "RateChange",
    "Repayment",
    "RepaymentLine",
    "RetentionCheck",
    "SocialEnterprise",
    "Support",
    "Tranche",
]
