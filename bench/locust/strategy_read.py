# StrategyReadUser of the Locust suite, corrected for the real API (behaviours.md §2): the flow the pack's
# StrategyReadUser runs, for side-by-side benchmarks against the same embedded API (bench/spike-fidelity.ts).
# Credentials come from BTCW_USERNAME / BTCW_PASSWORD (the embedded API's local defaults otherwise).
import json
import os
import random
import re

from locust import FastHttpUser, HttpUser, between, events

USERNAME = os.environ.get("BTCW_USERNAME", "testuser")
PASSWORD = os.environ.get("BTCW_PASSWORD", "testpass123")
# Think times scale like the pack's --think-factor (the engine bench runs 1-3 s x 0.02 and x 0.25).
THINK_FACTOR = float(os.environ.get("BTCW_THINK_FACTOR", "1"))


def login(user):
    r = user.client.post("/api/v1/auth/token", data={"username": USERNAME, "password": PASSWORD},
                         name="POST /auth/token [LOGIN AT START]")
    user.auth = {"authorization": "Bearer " + r.json()["access_token"]}


def list_strategies(user):
    user.client.get("/api/v1/strategies/", headers=user.auth, name="GET /strategies/ [LIST]")


def paginated(user):
    user.client.get(f"/api/v1/strategies/?skip={random.randint(0, 50)}&limit={random.choice([10, 20, 50])}",
                    headers=user.auth, name="GET /strategies/ [PAGINATED]")


def detail(user):
    r = user.client.get("/api/v1/strategies/", headers=user.auth, name="GET /strategies/ [FOR DETAIL]")
    items = r.json().get("strategies", []) if r.status_code == 200 else []
    if items:
        user.client.get(f"/api/v1/strategies/{random.choice(items)['id']}", headers=user.auth,
                        name="GET /strategies/{id} [DETAIL]")


def overview(user):
    user.client.get("/api/v1/strategies/overview", headers=user.auth, name="GET /strategies/overview [OVERVIEW]")


# Generator-added latency per request: Locust's response time minus the server's own time (Server-Timing),
# the same measure the pack's plugin records, written to BTCW_ADDED_LATENCY_FILE when the test stops.
ADDED_MS = []
SERVER_TOTAL = re.compile(r"(?:^|,)\s*total\s*;(?:[^,]*;)?\s*dur=([0-9]+(?:\.[0-9]+)?)")


@events.request.add_listener
def record_added_latency(response_time, response, exception, **_kwargs):
    header = response.headers.get("server-timing") if response is not None and exception is None else None
    m = SERVER_TOTAL.search(header or "")
    if m:
        ADDED_MS.append(max(0.0, response_time - float(m.group(1))))


@events.test_stop.add_listener
def write_added_latency(**_kwargs):
    path = os.environ.get("BTCW_ADDED_LATENCY_FILE")
    if not path or not ADDED_MS:
        return
    s = sorted(ADDED_MS)
    q = lambda p: s[min(len(s) - 1, int(p * len(s)))]
    with open(path, "w") as f:
        json.dump({"count": len(s), "p50": q(0.5), "p99": q(0.99), "max": s[-1]}, f)


TASKS = {list_strategies: 20, paginated: 10, detail: 5, overview: 3}


class StrategyReadHttpUser(HttpUser):
    wait_time = between(1 * THINK_FACTOR, 3 * THINK_FACTOR)
    tasks = TASKS

    def on_start(self):
        login(self)


class StrategyReadFastHttpUser(FastHttpUser):
    wait_time = between(1 * THINK_FACTOR, 3 * THINK_FACTOR)
    tasks = TASKS

    def on_start(self):
        login(self)
