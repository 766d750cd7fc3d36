"""The four publishers of the unseen test site as plain data: beats, towns, rosters, comments.

Each publisher covers four sections (one `prose.Beat` each), in its own invented region,
with its own reporters (one of them an organisation byline) and its own currency. Invented
for this test site; no code runs here.
"""

from __future__ import annotations

from .prose import Beat

COURIER_BEATS = (
    Beat(
        "economy",
        ("the Stellbach paper mill", "the regional jobs fund", "the new business park at Orrin",
         "the cross-border freight terminal", "the co-operative dairy", "the apprenticeship levy"),
        ("the Chamber of Trade", "the Valley Development Agency", "the regional treasury",
         "the Millworkers' Union"),
        ("chief economist", "finance officer", "union convenor", "chamber president"),
        ("small employers", "shift workers", "farm suppliers", "young apprentices"),
        ("jobs", "lorry movements a week", "tonnes of milk a month"),
        ("Jobs", "Industry", "Budget", "Trade", "Farming", "Energy prices"),
    ),
    Beat(
        "region",
        ("the valley bus network", "the flood wall at Kesselfurt", "the district hospital merger",
         "the bypass around Hollenried", "the village school closures", "the winter gritting rota"),
        ("the district council", "the water board", "the regional health trust",
         "the residents' association"),
        ("district mayor", "planning officer", "council leader", "ward councillor"),
        ("commuters", "parents", "hill farmers", "pensioners"),
        ("passengers a day", "households", "pupils"),
        ("Transport", "Council", "Health", "Schools", "Floods", "Roads"),
    ),
    Beat(
        "culture",
        ("the Linden theatre restoration", "the valley folk festival", "the town library",
         "the castle museum", "the choir competition", "the summer cinema in the square"),
        ("the arts council", "the festival trust", "the Heritage Foundation", "the friends' society"),
        ("artistic director", "museum curator", "festival chair", "head librarian"),
        ("local musicians", "visitors", "volunteers", "young readers"),
        ("visitors a year", "tickets", "members"),
        ("Theatre", "Music", "Museums", "Books", "Festivals", "Heritage"),
    ),
    Beat(
        "sport",
        ("the Orrin rowing regatta", "the new artificial pitch", "the valley cycling race",
         "the ice rink at Kesselfurt", "the youth football league", "the swimming pool roof"),
        ("the sports council", "FC Stellbach", "the rowing club", "the cycling federation"),
        ("head coach", "club secretary", "league chair", "race director"),
        ("young players", "season ticket holders", "club volunteers", "amateur riders"),
        ("spectators", "members", "entries"),
        ("Football", "Rowing", "Cycling", "Swimming", "Youth sport", "Ice hockey"),
    ),
)  # fmt: skip
COURIER_PLACES = (
    "Stellbach", "Orrin", "Kesselfurt", "Hollenried", "Marienau", "Oberlinden",
    "Tannwald", "Brückheim", "Ebersgrund", "Wiesental",
)  # fmt: skip
COURIER_AUTHORS = (
    ("Jana Novak", ("economy", "region")),
    ("Tobias Reinholt", ("region",)),
    ("Marta Kelbling", ("culture",)),
    ("Felix Oberhuber", ("sport",)),
    ("Lena Hartwig", ("economy",)),
    ("Anton Wessely", ("culture", "sport")),
    ("Courier Staff", ("region", "economy")),
)

HARBOUR_BEATS = (
    Beat(
        "waterfront",
        ("the old ferry terminal", "the harbour seawall", "the marina expansion",
         "the fish market lease", "the boardwalk repairs", "the lighthouse keeper's cottage"),
        ("the Port Authority", "the Harbour Commission", "the Fishermen's Co-op",
         "the Waterfront Trust"),
        ("harbour master", "port engineer", "co-op treasurer", "trust director"),
        ("boat owners", "fish sellers", "ferry commuters", "waterfront tenants"),
        ("boat moorings", "ferry trips a week", "pounds of catch a day"),
        ("Harbour", "Ferries", "Fishing", "Coast", "Boats"),
    ),
    Beat(
        "food",
        ("the Saturday farmers' market", "the community kitchen", "the oyster festival",
         "the school lunch programme", "the bakery on Wharf Street", "the food truck permits"),
        ("the Health Department", "the Market Association", "the Restaurant Guild",
         "the Food Bank Network"),
        ("market manager", "head chef", "health inspector", "guild president"),
        ("stallholders", "home cooks", "restaurant owners", "families"),
        ("meals a week", "stalls", "permits"),
        ("Markets", "Restaurants", "Seafood", "Baking", "Food safety"),
    ),
    Beat(
        "science",
        ("the tide gauge network", "the kelp restoration project", "the marine research station",
         "the seabird survey", "the offshore wind study", "the coastal erosion model"),
        ("the Marine Institute", "the Coastal University", "the Seabird Society",
         "the Weather Bureau"),
        ("marine biologist", "research director", "survey coordinator", "oceanographer"),
        ("volunteer divers", "students", "birdwatchers", "coastal landowners"),
        ("nesting pairs", "hectares of kelp", "readings a day"),
        ("Oceans", "Wildlife", "Climate", "Research", "Birds"),
    ),
    Beat(
        "neighbourhoods",
        ("the Eastport library branch", "the rezoning of Cannery Row", "the new bike lanes",
         "the short-term rental rules", "the playground on Dock Hill", "the street lighting upgrade"),
        ("the City Council", "the Neighbourhood Alliance", "the Planning Board",
         "the Tenants' Union"),
        ("council member", "planning director", "alliance organiser", "union spokesperson"),
        ("renters", "cyclists", "shop owners", "parents"),
        ("units", "riders a day", "signatures"),
        ("Housing", "City Hall", "Cycling", "Parks", "Zoning"),
    ),
)  # fmt: skip
HARBOUR_PLACES = (
    "Eastport", "Cannery Row", "Dock Hill", "Gull Point", "North Wharf", "Saltmarsh",
    "Beacon Heights", "Ropewalk", "Kettle Cove", "Pilot Street",
)  # fmt: skip
HARBOUR_AUTHORS = (
    ("Maggie O'Rourke", ("waterfront", "neighbourhoods")),
    ("Desmond Achterberg", ("food",)),
    ("Priya Raghunathan", ("science",)),
    ("Caleb Whitcombe", ("neighbourhoods",)),
    ("Josefina Almeida", ("food", "waterfront")),
    ("Harbour Lights Newsroom", ("science", "neighbourhoods")),
)

ALMANAC_BEATS = (
    Beat(
        "city",
        ("the Market Cross redevelopment", "the canal towpath", "the night-time economy plan",
         "the park-and-ride sites", "the Corn Exchange", "the residents' parking scheme"),
        ("the city council", "the Civic Society", "the Business Improvement District",
         "the Canal Trust"),
        ("cabinet member", "conservation officer", "BID manager", "trust chair"),
        ("residents", "traders", "students", "night workers"),
        ("parking permits", "visitors a week", "planning objections"),
        ("Planning", "Canals", "Parking", "Nightlife", "Heritage"),
    ),
    Beat(
        "science",
        ("the observatory telescope", "the river quality monitoring", "the hedgehog census",
         "the soil carbon trial", "the bee corridor", "the old mine water heating scheme"),
        ("the University of Wexcombe", "the Natural History Society", "the Rivers Trust",
         "the Geological Survey"),
        ("astronomer", "ecologist", "hydrologist", "lab manager"),
        ("volunteers", "schoolchildren", "landowners", "anglers"),
        ("samples", "sightings", "homes heated"),
        ("Astronomy", "Rivers", "Wildlife", "Geology", "Energy"),
    ),
    Beat(
        "health",
        ("the new minor injuries unit", "the GP surgery merger", "the ambulance response times",
         "the dental waiting list", "the mental health drop-in centre", "the hospital car park fees"),
        ("the health board", "the Patients' Forum", "the ambulance trust", "the Royal Infirmary"),
        ("medical director", "practice manager", "forum chair", "paramedic"),
        ("patients", "carers", "junior doctors", "families"),
        ("appointments a week", "patients", "calls a day"),
        ("NHS", "Hospitals", "GPs", "Dentistry", "Mental health"),
    ),
    Beat(
        "transport",
        ("the Wexcombe tram extension", "the station footbridge", "the night bus routes",
         "the low-traffic zone", "the airport rail link", "the cycle hire scheme"),
        ("the transport authority", "the rail operator", "Wexcombe Buses", "the Cycling Campaign"),
        ("transport director", "route planner", "station manager", "campaign coordinator"),
        ("commuters", "cyclists", "wheelchair users", "shift workers"),
        ("journeys a day", "passengers a week", "bikes"),
        ("Trams", "Buses", "Rail", "Cycling", "Roads"),
    ),
)  # fmt: skip
ALMANAC_PLACES = (
    "Wexcombe", "Thornbury Vale", "Ashgate", "Millbrook", "Hadley Cross", "Fennick",
    "St Aldwyn", "Broadmere", "Kilnsey", "Upper Rushton",
)  # fmt: skip
ALMANAC_AUTHORS = (
    ("Imogen Ashcroft", ("city", "transport")),
    ("Rafael Oduya", ("science",)),
    ("Bethan Llewellyn", ("health",)),
    ("Gareth Pryce-Jones", ("transport", "city")),
    ("Almanac Data Desk", ("science", "health")),
    ("Niamh Carberry", ("health", "city")),
)

MERIDIAN_BEATS = (
    Beat(
        "markets",
        ("the rupee bond auction", "the commodity exchange reform", "the small-cap index review",
         "the gold import duty", "the pension fund allocation", "the spice futures contract"),
        ("the Securities Board", "the Exchange Council", "the Brokers' Association",
         "the Investors' Forum"),
        ("chief strategist", "fund manager", "exchange director", "market analyst"),
        ("retail investors", "brokers", "pension savers", "exporters"),
        ("trades a day", "accounts", "contracts"),
        ("Stocks", "Bonds", "Commodities", "Regulation", "Funds"),
    ),
    Beat(
        "energy",
        ("the Kaveri solar park", "the grid storage tender", "the coal plant closure",
         "the rooftop solar subsidy", "the green hydrogen pilot", "the transmission line"),
        ("the Power Ministry", "the Grid Corporation", "the Solar Developers' Council",
         "the Electricity Regulator"),
        ("energy secretary", "grid engineer", "council chair", "regulator"),
        ("farmers", "factory owners", "households", "installers"),
        ("megawatts", "homes connected", "panels installed"),
        ("Solar", "Coal", "Grid", "Hydrogen", "Power prices"),
    ),
    Beat(
        "world",
        ("the regional trade pact", "the port access agreement", "the river water treaty",
         "the visa reciprocity deal", "the shipping lane patrols", "the fisheries accord"),
        ("the Foreign Ministry", "the Regional Forum", "the Ports Federation",
         "the Maritime Council"),
        ("trade negotiator", "envoy", "ports director", "policy adviser"),
        ("exporters", "fishing crews", "students abroad", "shipping firms"),
        ("containers a month", "visas", "vessels"),
        ("Trade", "Diplomacy", "Shipping", "Asia", "Treaties"),
    ),
    Beat(
        "tech",
        ("the national payments switch", "the chip design park", "the open data portal",
         "the rural broadband rollout", "the ride-hailing rules", "the digital identity app"),
        ("the Technology Ministry", "the Startup Council", "the Payments Corporation",
         "the Digital Rights Forum"),
        ("chief technology officer", "founder", "policy lead", "security researcher"),
        ("app users", "start-up founders", "delivery riders", "village councils"),
        ("transactions a day", "users", "villages connected"),
        ("Startups", "Payments", "Broadband", "Privacy", "Chips"),
    ),
)  # fmt: skip
MERIDIAN_PLACES = (
    "Kaveripattinam", "Mandapur", "Sethunagar", "Velankur", "Thirumalai", "Ponnagaram",
    "Kovilpatti East", "Arunapuram", "Nellivadi", "Chandrakona",
)  # fmt: skip
MERIDIAN_AUTHORS = (
    ("Ananya Krishnamurthy", ("markets", "tech")),
    ("Vikram Sethuraman", ("energy",)),
    ("Leela Fernandes", ("world",)),
    ("Rohan Mehta-Clarke", ("tech", "markets")),
    ("Meridian Wire Staff", ("world", "energy")),
    ("Divya Natarajan", ("energy", "world")),
)

COMMENTS = (
    ("Old Miller", "Been saying this for years. Nobody listens until it's too late."),
    ("k_brandt", "Good piece. Would like to see the actual budget documents though."),
    ("Ruth from the hill", "Who decided this? Certainly not anyone who lives here."),
    ("T. Yilmaz", "Finally some sense. Let's see if they stick to the timetable."),
    ("anon_reader", "The comments section is always more fun than the article."),
    ("Mo", "My neighbour works there and says the real numbers are worse."),
    ("Greta L", "Thanks for explaining this so clearly. Sharing with our group."),
    ("pedant42", "Small correction: the meeting was on the Thursday, not the Wednesday."),
    ("Sunil", "Same thing happened in my home town. It ended in court."),
    ("F. Okafor", "Please follow this up in a year. We need to know if it worked."),
    ("harbour_watcher", "Typical. Consult, ignore, announce, repeat."),
    ("Ingeborg", "I went to the meeting. The mood was much angrier than reported here."),
)
