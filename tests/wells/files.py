"""Survey files the tests build: templates filled in, in every format the importer reads.

The Yoshioka numbers are typed in from shared/domain/yoshioka-gunma.md (YOSHIOKA-2014), each
table cited where it is used. The report gives no coordinates: the test borehole is placed at
Yoshioka's town office (36.4475 N, 139.01028 E, shared/data/SOURCES.md), inside Gunma.
"""

from __future__ import annotations

import csv
import io
import zipfile

YOSHIOKA_LON, YOSHIOKA_LAT = 139.01028, 36.4475


def table_csv(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    """Rows (header, units, data...) as CSV bytes in `encoding` ("utf-8-sig" adds a BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def published(rows: list[list[object]]) -> list[list[object]]:
    """The same table with a `published` column set to true on every data row."""
    return [[*rows[0], "published"], [*rows[1], ""], *[[*r, "true"] for r in rows[2:]]]


def table_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# YOSHIOKA-2014 §2.1: test borehole, 150 mm, drilled 51.3 m, week of 2013-08-19.
YOSHIOKA_BOREHOLE = [
    [
        "code",
        "name",
        "lon",
        "lat",
        "depth",
        "diameter",
        "drilled_on",
        "purpose",
        "published",
        "source",
    ],
    ["", "", "°", "°", "m", "mm", "", "", "", ""],
    [
        "YOS-1",
        "吉岡町試験井",
        YOSHIOKA_LON,
        YOSHIOKA_LAT,
        51.3,
        150,
        "2013-08-19",
        "pumping_well",
        "true",
        "YOSHIOKA-2014 §4-2-①",
    ],
]

# YOSHIOKA-2014 §2.2 A (text, authoritative). Fig. 27 ends at 53.80 m: added as a last layer
# below the text's column to exercise the "deeper than the hole" warning (discrepancy #1).
YOSHIOKA_COLUMN = [
    ["borehole_code", "top", "bottom", "lithology", "lithology_text", "hydro_role"],
    ["", "m", "m", "", "", ""],
    ["YOS-1", 0, 0.5, "fill", "埋土", ""],
    ["YOS-1", 0.5, 1.9, "clay", "砂混じり粘土", "aquitard"],
    ["YOS-1", 1.9, 8.5, "sandy_gravel", "粘土混じり砂礫", "aquifer"],
    ["YOS-1", 8.5, 9.6, "clay", "砂・礫混じり粘土", "aquitard"],
    ["YOS-1", 9.6, 17.2, "sandy_gravel", "砂礫・礫混じり砂", "aquifer"],
    ["YOS-1", 17.2, 22.3, "sandy_gravel", "軽石混じり砂礫", "aquifer"],
    ["YOS-1", 22.3, 53.8, "sandy_gravel", "砂礫・玉石混じり砂礫・粘土混じり砂礫", "aquifer"],
]

# YOSHIOKA-2014 §2.3: water levels in the test borehole (GL −m → depth to water, m).
YOSHIOKA_LEVELS = [
    ["borehole_code", "measured_at", "depth_to_water", "aquifer", "note"],
    ["", "", "m", "", ""],
    ["YOS-1", "2013-08-26", 1.6, "shallow", "before cleaning"],
    ["YOS-1", "2013-08-27", 33.29, "mid-deep", "before step test"],
    ["YOS-1", "2013-08-28", 33.08, "mid-deep", "before constant-rate test"],
    ["YOS-1", "2013-09-06", 33.05, "mid-deep", "temperature log"],
    ["YOS-1", "2013-09-30", 32.805, "mid-deep", "monitoring"],
    ["YOS-1", "2013-12-24", 33.15, "mid-deep", "monitoring"],
]

# YOSHIOKA-2014 §2.7, Table 7: sample from 50 m, 2013-08-28, 16.2 °C; pH 7.2 at 24.8 °C.
YOSHIOKA_CHEMISTRY = [
    [
        "borehole_code",
        "sampled_at",
        "depth",
        "water_temperature",
        "ph",
        "ph_temperature",
        "electrical_conductivity",
        "chloride",
        "sulfate",
        "acid_consumption",
        "total_hardness",
        "calcium_hardness",
        "ionic_silica",
        "iron",
        "copper",
        "ammonium",
        "free_co2",
        "stability_index",
    ],
    [
        "",
        "",
        "m",
        "°C",
        "-",
        "°C",
        "mS/m",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "mg/L",
        "-",
    ],
    [
        "YOS-1",
        "2013-08-28",
        50,
        16.2,
        7.2,
        24.8,
        38.6,
        16,
        62,
        100,
        150,
        100,
        40,
        1.0,
        "<0.05",
        0.5,
        17,
        8.7,
    ],
]

# YOSHIOKA-2014 §2.4, Table 6: step-drawdown test 2013-08-27 (levels as depth to water).
YOSHIOKA_STEP_TEST = [
    ["borehole_code", "kind", "started_at", "static_level", "time", "rate", "level"],
    ["", "", "", "m", "min", "L/min", "m"],
    ["YOS-1", "step", "2013-08-27 08:20", 32.9, 70, 16.0, 33.6],
    ["YOS-1", "step", "2013-08-27 08:20", 32.9, 130, 47.0, 35.4],
    ["YOS-1", "step", "2013-08-27 08:20", 32.9, 190, 60.0, 36.5],
    ["YOS-1", "step", "2013-08-27 08:20", 32.9, 250, 81.0, 38.5],
    ["YOS-1", "step", "2013-08-27 08:20", 32.9, 310, 100.0, 40.5],
]

# YOSHIOKA-2014 §2.6: temperature log 2013-09-06 (HPTL-1000), the tabulated points.
YOSHIOKA_TEMPERATURES = [(7.5, 17.9), (8.5, 18.0), (15.0, 17.0), (49.0, 16.7), (51.0, 15.7)]


def yoshioka_las(depth_unit: str = "M", temperature_unit: str = "DEGC") -> bytes:
    """The Yoshioka temperature log as LAS 2.0 (written from the LAS 2.0 specification)."""
    lines = [
        "~Version Information",
        " VERS.                  2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0",
        " WRAP.                   NO : One line per depth step",
        "~Well Information",
        f" STRT.{depth_unit:<4}          7.5 : START DEPTH",
        f" STOP.{depth_unit:<4}         51.0 : STOP DEPTH",
        f" STEP.{depth_unit:<4}          0.0 : STEP (irregular)",
        " NULL.               -999.25 : NULL VALUE",
        " WELL.                YOS-1 : WELL",
        " DATE.           2013-09-06 : LOG DATE",
        "~Curve Information",
        f" DEPT.{depth_unit:<4}              : DEPTH",
        f" TEMP.{temperature_unit:<4}              : TEMPERATURE",
        "~A  DEPT     TEMP",
    ]
    lines += [f"  {d:7.2f}  {t:7.2f}" for d, t in YOSHIOKA_TEMPERATURES]
    return ("\n".join(lines) + "\n").encode("ascii")


def kunijiban_xml(version: str, name: str = "Br-1", datum: str = "02") -> bytes:
    """A Kunijiban boring file of DTD `version`, Shift_JIS (cp932), written from BED0210 /
    BED0300 / BED0400: two layers, one water level, position in Yoshioka (DMS).

    ① in 調査名 is a cp932-only character (not in strict Shift_JIS), as real files have.
    """
    depth_tag = "総削孔長" if version == "4.00" else "総掘進長"
    if version == "2.10":
        layer_tag, name_tag, head = "土質岩種区分", "土質岩種区分_土質岩種区分1", ""
    elif version == "3.00":
        layer_tag, name_tag = "岩石土区分", "岩石土区分_岩石土名"
        head = "<基礎情報><適用規格>JIS A 0205-2003</適用規格></基礎情報>"
    else:
        layer_tag = "工学的地質区分名現場土質名"
        name_tag = "工学的地質区分名現場土質名_工学的地質区分名現場土質名"
        head = (
            "<基礎情報><適用規格>JIS A 0205-2012</適用規格><公開フラグ>"
            "<公開フラグ_コード>1</公開フラグ_コード></公開フラグ></基礎情報>"
        )
    status_tag = "孔内水位_削孔状況コード" if version == "4.00" else "孔内水位_掘削状況コード"
    # 139° 0' 37.008" E = 139.01028°, 36° 26' 51" N = 36.4475°
    xml = f"""<?xml version="1.0" encoding="Shift_JIS"?>
<!DOCTYPE ボーリング情報 SYSTEM "BED0{version.replace(".", "")}.DTD">
<ボーリング情報 DTD_version="{version}">
{head}
<標題情報>
 <調査基本情報><調査名>吉岡町①地質調査</調査名><調査目的>01</調査目的><調査対象>01</調査対象>
  <ボーリング名>{name}</ボーリング名><ボーリング総数>1</ボーリング総数><ボーリング連番>1</ボーリング連番>
 </調査基本情報>
 <経度緯度情報><経度_度>139</経度_度><経度_分>0</経度_分><経度_秒>37.008</経度_秒>
  <緯度_度>36</緯度_度><緯度_分>26</緯度_分><緯度_秒>51</緯度_秒>
  <取得方法コード>02</取得方法コード><読取精度コード>2</読取精度コード><測地系>{datum}</測地系>
 </経度緯度情報>
 <調査期間><調査期間_開始年月日>2013-08-19</調査期間_開始年月日><調査期間_終了年月日>2013-08-26</調査期間_終了年月日></調査期間>
 <ボーリング基本情報><孔口標高>160.00</孔口標高><{depth_tag}>10.00</{depth_tag}><柱状図様式>12</柱状図様式></ボーリング基本情報>
</標題情報>
<コア情報>
 <{layer_tag}><{layer_tag}_下端深度>0.50</{layer_tag}_下端深度><{name_tag}>埋土</{name_tag}></{layer_tag}>
 <{layer_tag}><{layer_tag}_下端深度>10.00</{layer_tag}_下端深度><{name_tag}>粘土混じり砂礫</{name_tag}></{layer_tag}>
 <孔内水位><孔内水位_測定年月日>2013-08-26</孔内水位_測定年月日><{status_tag}>1</{status_tag}><孔内水位_孔内水位>1.60</孔内水位_孔内水位></孔内水位>
 <孔内水位><孔内水位_測定年月日>2013-08-27</孔内水位_測定年月日><{status_tag}>2</{status_tag}><孔内水位_孔内水位>-99.99</孔内水位_孔内水位></孔内水位>
</コア情報>
</ボーリング情報>
"""
    return xml.encode("cp932")


def zip_bomb(uncompressed_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A small zip that unpacks to `uncompressed_bytes` of zeros (an XLSX-looking name list)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(uncompressed_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ボーリング情報 DTD_version="4.00">&lol2;</ボーリング情報>
""".encode()
