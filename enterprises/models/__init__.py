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

__all__ = [
    "Business",
    "Employment",
    "EnterpriseMonthlyResult",
    "FollowUp",
    "Position",
    "RateChange",
    "Repayment",
    "RepaymentLine",
    "SocialEnterprise",
    "Support",
    "Tranche",
]
