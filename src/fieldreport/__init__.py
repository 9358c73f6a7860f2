"""fieldreport: raw news about armed conflict in, evidence-backed ACLED events out."""
