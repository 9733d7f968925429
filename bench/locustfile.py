"""The visitors of bench/load_bench.py, for locust in headless mode (run by load_bench as
`locust -f bench/locustfile.py --headless ...`: gevent stays out of the Django process).

One user is one person on the map (wait 1–3 s between actions), choosing, by weight:
- a map view (100): 6 neighbouring tiles at zoom 7–13 of the layer the region opens on (60 %)
  or another of its layers, P90 band one time in ten, one by one on one keep-alive connection
  (a browser fetches ~6 at a time over several connections);
- borehole clusters of that view (30) and borehole GeoJSON in its bbox (20);
- a point query near a borehole (40);
- an open-loop design estimate (10) where the map has an aquifer, computed in the request
  (a random floor area and use: almost always new inputs);
- a closed-loop design estimate (2): queued for the Celery worker (202), then its status polled
  every second as the result page does; the time from POST to the result is the "JOB" row.
  Inputs come from a small pool (20 places × 3 house sizes), so later askers reuse stored
  ones. Rare on purpose: one takes the worker seconds (8 GHEtool sizings), so a mix with many
  would measure the worker's queue, not the site.

The plan (layer ids, sites, open-loop points) is the JSON file named by LOAD_PLAN. A 429 (rate
limit) is not an error here: it is counted under its own name, "<name> 429".
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._webmap import bbox_of_view, tile_of

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
REGIONS = PLAN["regions"]
CLOSED_LOOP_SIZES_M2 = (120, 150, 200)
OPEN_LOOP_USES = ("office", "school", "apartment")
JOB_TIMEOUT_S = float(os.environ.get("LOAD_JOB_TIMEOUT_S", "300"))
POLL_S = 1.0


class MapVisitor(FastHttpUser):
    wait_time = between(1, 3)
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.region = random.choice(REGIONS)

    def _site(self) -> tuple[float, float]:
        lon, lat = random.choice(self.region["sites"])
        return lon, lat

    def _request(self, method: str, path: str, name: str, ok: tuple[int, ...], **kwargs):  # type: ignore[no-untyped-def]
        """One request; a 429 is counted apart under "<name> 429", not as a failure."""
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as r:
            if r.status_code == 429:
                r.request_meta["name"] = f"{name} 429"
                r.success()
            elif r.status_code in ok:
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}")
            return r

    @task(100)
    def map_view(self) -> None:
        if random.random() < 0.1:  # now and then someone looks at another region
            self.region = random.choice(REGIONS)
        # most look at the layer the region opens on; the others now and then
        leading = [la for la in self.region["layers"] if la["id"] in self.region["leading"]]
        layer = random.choice(
            leading if leading and random.random() < 0.6 else self.region["layers"]
        )
        lon, lat = self._site()
        z = random.randint(7, 13)
        x0, y0 = tile_of(lon, lat, z)
        band = "?band=p90" if random.random() < 0.1 and "p90" in layer["bands"] else ""
        for dy in (0, 1):
            for dx in (-1, 0, 1):
                x, y = (x0 + dx) % 2**z, min(y0 + dy, 2**z - 1)
                self._request(
                    "GET",
                    f"/tiles/{layer['id']}/{layer['version']}/{z}/{x}/{y}.png{band}",
                    "tile",
                    (200, 204),
                )

    @task(30)
    def borehole_clusters(self) -> None:
        lon, lat = self._site()
        z = random.randint(7, 13)
        bbox = bbox_of_view(lon, lat, z)
        self._request(
            "GET", f"/api/boreholes/clusters/?zoom={z}&in_bbox={bbox}", "borehole clusters", (200,)
        )

    @task(20)
    def borehole_geojson(self) -> None:
        lon, lat = self._site()
        bbox = bbox_of_view(lon, lat, random.randint(9, 13))
        self._request("GET", f"/api/boreholes/?in_bbox={bbox}", "borehole GeoJSON", (200,))

    @task(40)
    def point_query(self) -> None:
        lon, lat = self._site()
        self._request("GET", f"/api/point?lat={lat:.6f}&lon={lon:.6f}", "point query", (200,))

    @task(10)
    def open_loop_estimate(self) -> None:
        points = self.region["open_loop_points"] or random.choice(REGIONS)["open_loop_points"]
        lon, lat = random.choice(points)
        body = {
            "lat": lat,
            "lon": lon,
            "inputs": {
                "loads": "use",
                "building_use": random.choice(OPEN_LOOP_USES),
                "floor_area_m2": random.randint(300, 3000),
                "system": "open_loop",
            },
        }
        self._request("POST", "/api/estimates", "open-loop estimate", (200,), json=body)

    @task(2)
    def closed_loop_estimate(self) -> None:
        lon, lat = random.choice(PLAN["closed_loop_sites"])
        body = {
            "lat": lat,
            "lon": lon,
            "inputs": {
                "loads": "use",
                "building_use": "detached_house",
                "floor_area_m2": random.choice(CLOSED_LOOP_SIZES_M2),
                "system": "closed_loop",
            },
        }
        start = time.perf_counter()
        r = self._request(
            "POST", "/api/estimates", "closed-loop estimate (queue)", (200, 202), json=body
        )
        if r.status_code not in (200, 202):
            return
        state, token = r.json()["state"], r.json()["token"]
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(POLL_S)
            r = self._request("GET", f"/api/estimates/{token}", "estimate status", (200,))
            if r.status_code != 200:
                return
            state = r.json()["state"]
        events.request.fire(
            request_type="JOB",
            name="closed-loop estimate, POST to result",
            response_time=(time.perf_counter() - start) * 1e3,
            response_length=0,
            # a refusal (e.g. no baseline to compare with) is an answer; failed or late is not
            exception=None if state in ("done", "refused") else RuntimeError(f"estimate {state}"),
            context={},
        )
