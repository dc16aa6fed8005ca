"""管理 › 党员: finding and managing people in an admin's (or secretary's) scope."""
