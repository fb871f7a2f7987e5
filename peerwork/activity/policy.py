"""The activity log has no rules of its own: it shows what the space and people rules allow."""
