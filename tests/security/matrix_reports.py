"""Route × role matrix: activity reports — coordinators only (the care team, the admin,
reception, animators and members are refused)."""

from tests.security.matrix import Route

COORDINATOR = {"coordinator"}

ROUTES = {
    "reports.index": Route("GET", "/reports/?preset=last_month", COORDINATOR),
    "reports.download": Route("GET", "/reports/rapport.csv?preset=last_month", COORDINATOR),
}
