"""Which regions share a land border: a hand-written adjacency table read by ``build_regions.py``.

Every federal subject lists all its land neighbours, Russian subjects and neighbouring countries alike,
so each border is written twice; ``build_regions.py`` refuses the table unless both sides agree.
Sea crossings do not count (Sakhalin has no land neighbour; Crimea and Krasnodar Krai, or Murmansk
and Arkhangelsk oblasts, face each other only across water). An autonomous okrug borders the oblast it
lies in like any other subject. The 2022 annexations (Donetsk, Luhansk, Zaporizhzhia, Kherson) are not
in the source data, so their territory is Ukraine here.

Places where the answer is not obvious:
- Krasnodar Krai borders Abkhazia and North Ossetia–Alania borders South Ossetia: both are Georgia in
  international law, so the border is with GE.
- Samara Oblast touches Kazakhstan only at a point where Saratov and Orenburg oblasts also meet, so
  none of Samara–Kazakhstan and Saratov–Orenburg counts as a shared border.
- Tyumen Oblast (without its okrugs) meets Tomsk Oblast along a short stretch; Omsk Oblast does not
  reach Khanty-Mansi Autonomous Okrug.
"""

from __future__ import annotations

NEIGHBOURS: dict[str, tuple[str, ...]] = {
    # Central
    "RU-BEL": ("RU-KRS", "RU-VOR", "UA"),
    "RU-BRY": ("RU-SMO", "RU-KLU", "RU-ORL", "RU-KRS", "BY", "UA"),
    "RU-VLA": ("RU-MOS", "RU-YAR", "RU-IVA", "RU-NIZ", "RU-RYA"),
    "RU-VOR": ("RU-BEL", "RU-KRS", "RU-LIP", "RU-TAM", "RU-SAR", "RU-VGG", "RU-ROS", "UA"),
    "RU-IVA": ("RU-YAR", "RU-KOS", "RU-NIZ", "RU-VLA"),
    "RU-KLU": ("RU-MOW", "RU-MOS", "RU-SMO", "RU-BRY", "RU-ORL", "RU-TUL"),
    "RU-KOS": ("RU-VLG", "RU-KIR", "RU-NIZ", "RU-IVA", "RU-YAR"),
    "RU-KRS": ("RU-BRY", "RU-ORL", "RU-LIP", "RU-VOR", "RU-BEL", "UA"),
    "RU-LIP": ("RU-ORL", "RU-TUL", "RU-RYA", "RU-TAM", "RU-VOR", "RU-KRS"),
    "RU-MOW": ("RU-MOS", "RU-KLU"),
    "RU-MOS": ("RU-MOW", "RU-TVE", "RU-YAR", "RU-VLA", "RU-RYA", "RU-TUL", "RU-KLU", "RU-SMO"),
    "RU-ORL": ("RU-BRY", "RU-KLU", "RU-TUL", "RU-LIP", "RU-KRS"),
    "RU-RYA": ("RU-MOS", "RU-VLA", "RU-NIZ", "RU-MO", "RU-PNZ", "RU-TAM", "RU-LIP", "RU-TUL"),
    "RU-SMO": ("RU-TVE", "RU-MOS", "RU-KLU", "RU-BRY", "RU-PSK", "BY"),
    "RU-TAM": ("RU-RYA", "RU-PNZ", "RU-SAR", "RU-VOR", "RU-LIP"),
    "RU-TVE": ("RU-MOS", "RU-SMO", "RU-PSK", "RU-NGR", "RU-VLG", "RU-YAR"),
    "RU-TUL": ("RU-MOS", "RU-RYA", "RU-LIP", "RU-ORL", "RU-KLU"),
    "RU-YAR": ("RU-TVE", "RU-VLG", "RU-KOS", "RU-IVA", "RU-VLA", "RU-MOS"),
    # Northwestern
    "RU-KR": ("RU-MUR", "RU-ARK", "RU-VLG", "RU-LEN", "FI"),
    "RU-KO": ("RU-NEN", "RU-ARK", "RU-KIR", "RU-PER", "RU-SVE", "RU-KHM", "RU-YAN"),
    "RU-ARK": ("RU-KR", "RU-VLG", "RU-KIR", "RU-KO", "RU-NEN"),
    "RU-NEN": ("RU-ARK", "RU-KO", "RU-YAN"),
    "RU-VLG": ("RU-KR", "RU-ARK", "RU-KIR", "RU-KOS", "RU-YAR", "RU-TVE", "RU-NGR", "RU-LEN"),
    "RU-KGD": ("LT", "PL"),
    "RU-LEN": ("RU-SPE", "RU-KR", "RU-VLG", "RU-NGR", "RU-PSK", "FI", "EE"),
    "RU-SPE": ("RU-LEN",),
    "RU-MUR": ("RU-KR", "FI", "NO"),
    "RU-NGR": ("RU-LEN", "RU-VLG", "RU-TVE", "RU-PSK"),
    "RU-PSK": ("RU-LEN", "RU-NGR", "RU-TVE", "RU-SMO", "EE", "LV", "BY"),
    # Southern
    "RU-AD": ("RU-KDA",),
    "RU-KL": ("RU-AST", "RU-VGG", "RU-ROS", "RU-STA", "RU-DA"),
    "UA-43": ("UA-40", "UA"),
    "UA-40": ("UA-43",),
    "RU-KDA": ("RU-AD", "RU-ROS", "RU-STA", "RU-KC", "GE"),
    "RU-AST": ("RU-VGG", "RU-KL", "KZ"),
    "RU-VGG": ("RU-SAR", "RU-VOR", "RU-ROS", "RU-KL", "RU-AST", "KZ"),
    "RU-ROS": ("RU-VOR", "RU-VGG", "RU-KL", "RU-STA", "RU-KDA", "UA"),
    # North Caucasian
    "RU-DA": ("RU-CE", "RU-STA", "RU-KL", "GE", "AZ"),
    "RU-IN": ("RU-SE", "RU-CE", "GE"),
    "RU-KB": ("RU-KC", "RU-STA", "RU-SE", "GE"),
    "RU-KC": ("RU-KDA", "RU-STA", "RU-KB", "GE"),
    "RU-SE": ("RU-KB", "RU-STA", "RU-CE", "RU-IN", "GE"),
    "RU-CE": ("RU-IN", "RU-SE", "RU-STA", "RU-DA", "GE"),
    "RU-STA": ("RU-KDA", "RU-ROS", "RU-KL", "RU-DA", "RU-CE", "RU-SE", "RU-KB", "RU-KC"),
    # Volga
    "RU-BA": ("RU-PER", "RU-SVE", "RU-CHE", "RU-ORE", "RU-TA", "RU-UD"),
    "RU-ME": ("RU-KIR", "RU-TA", "RU-CU", "RU-NIZ"),
    "RU-MO": ("RU-NIZ", "RU-CU", "RU-ULY", "RU-PNZ", "RU-RYA"),
    "RU-TA": ("RU-KIR", "RU-UD", "RU-BA", "RU-ORE", "RU-SAM", "RU-ULY", "RU-CU", "RU-ME"),
    "RU-UD": ("RU-KIR", "RU-PER", "RU-BA", "RU-TA"),
    "RU-CU": ("RU-ME", "RU-TA", "RU-ULY", "RU-MO", "RU-NIZ"),
    "RU-PER": ("RU-KO", "RU-SVE", "RU-BA", "RU-UD", "RU-KIR"),
    "RU-KIR": ("RU-ARK", "RU-KO", "RU-PER", "RU-UD", "RU-TA", "RU-ME", "RU-NIZ", "RU-KOS", "RU-VLG"),
    "RU-NIZ": ("RU-KOS", "RU-KIR", "RU-ME", "RU-CU", "RU-MO", "RU-RYA", "RU-VLA", "RU-IVA"),
    "RU-ORE": ("RU-SAM", "RU-TA", "RU-BA", "RU-CHE", "KZ"),
    "RU-PNZ": ("RU-MO", "RU-ULY", "RU-SAR", "RU-TAM", "RU-RYA"),
    "RU-SAM": ("RU-ULY", "RU-TA", "RU-ORE", "RU-SAR"),
    "RU-SAR": ("RU-PNZ", "RU-ULY", "RU-SAM", "RU-VGG", "RU-VOR", "RU-TAM", "KZ"),
    "RU-ULY": ("RU-CU", "RU-TA", "RU-SAM", "RU-SAR", "RU-PNZ", "RU-MO"),
    # Ural
    "RU-KGN": ("RU-SVE", "RU-TYU", "RU-CHE", "KZ"),
    "RU-SVE": ("RU-PER", "RU-KO", "RU-KHM", "RU-TYU", "RU-KGN", "RU-CHE", "RU-BA"),
    "RU-TYU": ("RU-SVE", "RU-KGN", "RU-OMS", "RU-TOM", "RU-KHM", "KZ"),
    "RU-CHE": ("RU-SVE", "RU-KGN", "RU-BA", "RU-ORE", "KZ"),
    "RU-KHM": ("RU-TYU", "RU-SVE", "RU-KO", "RU-YAN", "RU-KYA", "RU-TOM"),
    "RU-YAN": ("RU-KHM", "RU-KO", "RU-KYA", "RU-NEN"),
    # Siberian
    "RU-AL": ("RU-ALT", "RU-KEM", "RU-KK", "RU-TY", "KZ", "MN", "CN"),
    "RU-TY": ("RU-KYA", "RU-KK", "RU-AL", "RU-BU", "RU-IRK", "MN"),
    "RU-KK": ("RU-KYA", "RU-KEM", "RU-AL", "RU-TY"),
    "RU-ALT": ("RU-NVS", "RU-KEM", "RU-AL", "KZ"),
    "RU-KYA": ("RU-YAN", "RU-KHM", "RU-TOM", "RU-KEM", "RU-KK", "RU-TY", "RU-IRK", "RU-SA"),
    "RU-IRK": ("RU-KYA", "RU-TY", "RU-BU", "RU-ZAB", "RU-SA"),
    "RU-KEM": ("RU-TOM", "RU-NVS", "RU-ALT", "RU-AL", "RU-KK", "RU-KYA"),
    "RU-NVS": ("RU-OMS", "RU-TOM", "RU-KEM", "RU-ALT", "KZ"),
    "RU-OMS": ("RU-TYU", "RU-TOM", "RU-NVS", "KZ"),
    "RU-TOM": ("RU-KHM", "RU-TYU", "RU-OMS", "RU-NVS", "RU-KEM", "RU-KYA"),
    # Far Eastern
    "RU-BU": ("RU-IRK", "RU-TY", "RU-ZAB", "MN"),
    "RU-SA": ("RU-KYA", "RU-IRK", "RU-ZAB", "RU-AMU", "RU-KHA", "RU-MAG", "RU-CHU"),
    "RU-ZAB": ("RU-BU", "RU-IRK", "RU-SA", "RU-AMU", "MN", "CN"),
    "RU-KAM": ("RU-MAG", "RU-CHU"),
    "RU-PRI": ("RU-KHA", "CN", "KP"),
    "RU-KHA": ("RU-SA", "RU-MAG", "RU-AMU", "RU-YEV", "RU-PRI", "CN"),
    "RU-AMU": ("RU-ZAB", "RU-SA", "RU-KHA", "RU-YEV", "CN"),
    "RU-MAG": ("RU-SA", "RU-KHA", "RU-CHU", "RU-KAM"),
    "RU-SAK": (),
    "RU-YEV": ("RU-AMU", "RU-KHA", "CN"),
    "RU-CHU": ("RU-SA", "RU-MAG", "RU-KAM"),
    # Neighbouring countries: the federal subjects on the other side of their border with Russia.
    "AM": (),
    "AZ": ("RU-DA",),
    "BY": ("RU-PSK", "RU-SMO", "RU-BRY"),
    "CN": ("RU-AL", "RU-ZAB", "RU-AMU", "RU-YEV", "RU-KHA", "RU-PRI"),
    "EE": ("RU-LEN", "RU-PSK"),
    "FI": ("RU-MUR", "RU-KR", "RU-LEN"),
    "GE": ("RU-KDA", "RU-KC", "RU-KB", "RU-SE", "RU-IN", "RU-CE", "RU-DA"),
    "KG": (),
    "KP": ("RU-PRI",),
    "KZ": (
        "RU-AST",
        "RU-VGG",
        "RU-SAR",
        "RU-ORE",
        "RU-CHE",
        "RU-KGN",
        "RU-TYU",
        "RU-OMS",
        "RU-NVS",
        "RU-ALT",
        "RU-AL",
    ),
    "LT": ("RU-KGD",),
    "LV": ("RU-PSK",),
    "MD": (),
    "MN": ("RU-AL", "RU-TY", "RU-BU", "RU-ZAB"),
    "NO": ("RU-MUR",),
    "PL": ("RU-KGD",),
    "TJ": (),
    "TM": (),
    "UA": ("RU-BRY", "RU-KRS", "RU-BEL", "RU-VOR", "RU-ROS", "UA-43"),
    "UZ": (),
}
