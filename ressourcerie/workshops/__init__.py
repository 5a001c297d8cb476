"""Activities, sessions, opening hours, prices, bookings, planning and iCalendar feeds."""
