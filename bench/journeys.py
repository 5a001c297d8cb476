"""The key journeys as locust users. Each benchmark phase runs one class with 20 users, no
think time: a closed loop of 20 concurrent clients. Users are signed in before the phase
(see run.py) and share the cookie of their site's account."""

import itertools
import random
from collections import deque

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

# Filled by run.py before each phase.
CONTEXT: dict = {}


class Journey(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    role = ""  # "reception", "social_worker", "coordinator" or "" (anonymous)
    _numbers = itertools.count()

    def on_start(self):
        number = next(Journey._numbers)
        sites = CONTEXT["pools"]["sites"]
        self.site = sites[number % len(sites)]
        self.rng = random.Random(number)
        if self.role:
            login = CONTEXT["logins"][self.role][
                self.site["id"] if self.role != "coordinator" else 0
            ]
            self.client.cookiejar.clear()
            for name, value in login["cookies"].items():
                self.client.cookiejar.set_cookie(_cookie(name, value))
            self.csrf = login.get("csrf", "")

    def get_page(self, url: str, name: str, expect: str = ""):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            elif expect and expect not in r.text:
                r.failure(f"missing {expect!r}")


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    return Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


class Bare(Journey):
    @task
    def row(self):
        self.get_page(f"/row/{CONTEXT['pools']['bare_row']}", "bare /row")


class Planning(Journey):
    @task
    def week(self):
        self.get_page("/workshops/", "planning week")


class PeopleSearch(Journey):
    role = "reception"

    @task
    def search(self):
        prefix = self.rng.choice(self.site["prefixes"])
        self.get_page(f"/members/people?q={prefix}", "people search")


class PersonPage(Journey):
    role = "reception"

    @task
    def person(self):
        person_id = self.rng.choice(self.site["people"])
        self.get_page(f"/members/people/{person_id}", "person page")


class BookingPost(Journey):
    role = "reception"
    pairs: dict[int, deque] = {}

    @task
    def book(self):
        queue = BookingPost.pairs.setdefault(
            self.site["id"], deque(tuple(pair) for pair in self.site["booking_pairs"])
        )
        if not queue:
            raise StopUser()
        session_id, person_id = queue.popleft()
        data = {
            "csrf_token": self.csrf,
            "person_id": str(person_id),
            "channel": "phone",
            "amount": "",
            "override_reason": "",
            "method": "",
            "companion_name": "",
            "companion_notes": "",
        }
        with self.client.post(
            f"/workshops/sessions/{session_id}/book-for",
            data=data,
            name="booking POST",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}")
            else:
                CONTEXT.setdefault("booked", []).append((session_id, person_id))


class CheckIn(Journey):
    role = "reception"

    @task
    def checkin(self):
        session_id = self.rng.choice(self.site["checkin_sessions"])
        self.get_page(f"/workshops/sessions/{session_id}/checkin", "check-in page")


class CasePage(Journey):
    role = "social_worker"

    @task
    def case(self):
        case_id = self.rng.choice(self.site["cases"])
        self.get_page(f"/casework/cases/{case_id}", "case page")


class ReportYear(Journey):
    role = "coordinator"

    @task
    def report(self):
        self.get_page("/reports/?preset=last_year", "report dashboard (1 year)")


JOURNEYS = {
    "bare": Bare,
    "planning": Planning,
    "people_search": PeopleSearch,
    "person_page": PersonPage,
    "booking_post": BookingPost,
    "checkin_page": CheckIn,
    "case_page": CasePage,
    "report_year": ReportYear,
}
