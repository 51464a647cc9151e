"""What the core announces to the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent by `income_records_upsert_bulk` after it wrote household income in bulk (a payroll
# approval): bulk writes send no post_save, so this is how the families' scores follow.
# Arguments: family_ids (a set of ints).
income_written_in_bulk = Signal()
