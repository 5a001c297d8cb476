"""The verbs of workshops: pricing, opening hours, sessions, bookings, reminders."""
