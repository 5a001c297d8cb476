"""Settings that coordinators change over time (prices, membership period, deadlines)."""
