"""Party organisation structure: the unit tree (党委 → 党总支 → 党支部 → 党小组)."""
