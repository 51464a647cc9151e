"""What every app shares and no domain owns: money, percentages, months, and the plumbing
of forms, exports and documents. It imports none of the project's apps."""
