"""Word lists the synthetic catalogue draws names, labels and ISRC parts from."""

FIRST = (
    "Nova",
    "Luna",
    "Kai",
    "Milo",
    "Ivy",
    "Zane",
    "Aria",
    "Rio",
    "Jude",
    "Sage",
    "Remy",
    "Nia",
    "Otis",
    "Lexa",
    "Bo",
    "Cleo",
    "Dax",
    "Elle",
    "Finn",
    "Gia",
    "Hugo",
    "Isla",
)
LAST = (
    "Vale",
    "Rivers",
    "Stone",
    "Monroe",
    "Kade",
    "Wilde",
    "Sol",
    "Marlow",
    "Reyes",
    "Quinn",
    "Hart",
    "Lowe",
    "Blanc",
    "Okafor",
    "Nakamura",
    "Lindqvist",
    "Costa",
    "Ferro",
)
BAND_ADJ = ("Midnight", "Neon", "Velvet", "Paper", "Golden", "Electric", "Silent", "Wild")
BAND_NOUN = ("Foxes", "Harbours", "Satellites", "Tigers", "Echoes", "Lanterns", "Comets")
TITLE_A = (
    "Summer",
    "Broken",
    "Lonely",
    "Sweet",
    "Dancing",
    "Falling",
    "Electric",
    "Golden",
    "Midnight",
    "Crazy",
    "Lost",
    "Burning",
    "Paper",
    "Silver",
    "Sunday",
    "Neon",
)
TITLE_B = (
    "Heart",
    "Lights",
    "Rain",
    "Love",
    "Nights",
    "Dreams",
    "Fire",
    "Ocean",
    "City",
    "Hearts",
    "Sky",
    "Roads",
    "Thunder",
    "Roses",
    "Shadows",
    "Eyes",
)
ALBUM_WORDS = ("Chapter", "Seasons", "Afterglow", "Blueprint", "Horizons", "Tapes", "Echo")
COMPILATIONS = ("Hits of the Year", "Summer Anthems", "Dance Floor Fillers", "Chill Classics")
LABELS = ("Fake Records", "Synthetic Sound", "Null Island Music", "Base62 Recordings")
ISRC_COUNTRIES = ("US", "GB", "SE", "DE", "FR", "CA", "AU", "KR", "JP", "NL")
ISRC_REGISTRANT = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
