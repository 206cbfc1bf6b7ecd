//! Where the demo happens: Kestleford, a market town of about 20,000 people on the River
//! Kestle, and seven villages around it. Every name and postcode here is invented; the
//! postcode area "KF" does not exist in the real UK, so demo addresses can never be
//! mistaken for somebody's home.

use std::collections::BTreeMap;

use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use knit_store::{Place, PostcodePoint};

/// The demo town.
pub const TOWN: &str = "Kestleford";

/// The county written in demo addresses.
pub(super) const COUNTY: &str = "Wiltshire";

/// The Market Place, where the town's roads meet.
pub fn centre() -> LatLon {
    LatLon {
        lat: 51.2420,
        lon: -1.9620,
    }
}

/// The town's neighbourhoods and the villages, each at its middle.
const PLACES: &[(&str, f64, f64)] = &[
    (TOWN, 51.2420, -1.9620),
    ("Kestleford Town Centre", 51.2420, -1.9625),
    ("Riverside", 51.2375, -1.9610),
    ("Station Quarter", 51.2412, -1.9730),
    ("Northfield", 51.2515, -1.9650),
    ("Bellmead", 51.2480, -1.9505),
    ("Castle Hill", 51.2430, -1.9475),
    ("Fairleigh Park", 51.2352, -1.9505),
    ("Brindcombe", 51.2675, -1.9250),
    ("Upper Sallowby", 51.2960, -1.9700),
    ("Faxbury", 51.2990, -2.0500),
    ("Wyke Carrow", 51.2450, -2.0620),
    ("Eddlestow", 51.1850, -2.0300),
    ("Marrowcombe", 51.1960, -1.9050),
    ("Pellow Cross", 51.2500, -1.8060),
];

/// The town, its neighbourhoods and its villages, for "services near Bellmead".
pub fn places() -> Vec<Place> {
    PLACES
        .iter()
        .map(|&(name, lat, lon)| Place {
            name: name.to_owned(),
            position: LatLon { lat, lon },
        })
        .collect()
}

/// A building where services meet people.
pub(super) struct Venue {
    pub key: &'static str,
    pub name: &'static str,
    pub street: &'static str,
    /// The neighbourhood of the town, or "" in a village.
    pub locality: &'static str,
    /// The post town or village written as the address's city.
    pub city: &'static str,
    pub postcode: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub access: &'static str,
    pub transport: &'static str,
}

/// Venues whose address must never be published: the refuge. Staff see it; the public
/// directory drops the whole location.
pub(super) const CONFIDENTIAL_VENUES: &[&str] = &["refuge"];

const STEP_FREE: &str = "Step-free entrance, accessible toilet and a hearing loop.";
const HALL: &str = "Level access from the car park and an accessible toilet.";

macro_rules! venues {
    ($( $key:literal, $name:literal, $street:literal, $locality:literal, $city:expr, $postcode:literal,
        $lat:literal, $lon:literal, $access:expr, $transport:literal; )*) => {
        pub(super) static VENUES: &[Venue] = &[
            $( Venue { key: $key, name: $name, street: $street, locality: $locality, city: $city,
                postcode: $postcode, lat: $lat, lon: $lon, access: $access, transport: $transport }, )*
        ];
    };
}

venues! {
    // The town centre, KF1 1.
    "town-hall", "Kestleford Town Hall", "Market Place", "Town Centre", TOWN, "KF1 1AA", 51.2420, -1.9619,
        "Ramp at the side door on Sheep Street, lift to all floors, hearing loop at reception.",
        "Every town bus stops in the Market Place.";
    "library", "Kestleford Library", "3 Sheep Street", "Town Centre", TOWN, "KF1 1AB", 51.2424, -1.9628,
        "Automatic doors, lift, accessible toilet, hearing loop and a large-print collection.",
        "Two minutes' walk from the Market Place bus stops.";
    "advice-centre", "Kestleford Advice Centre", "14 Bridge Street", "Town Centre", TOWN, "KF1 1DE", 51.2412, -1.9612,
        "Ground-floor interview rooms; ring the bell by the door for the ramp.",
        "Bridge Street stop on routes 4 and 7.";
    "wellbeing-hub", "The Wellbeing Hub", "5 Bridge Street", "Town Centre", TOWN, "KF1 1DF", 51.2413, -1.9615,
        STEP_FREE, "Bridge Street stop on routes 4 and 7.";
    "st-aldhelm", "St Aldhelm's Church and Hall", "Church Lane", "Town Centre", TOWN, "KF1 1EJ", 51.2429, -1.9605,
        "Level access to the hall through the churchyard gate; accessible toilet in the hall.",
        "Behind the Market Place; cycle racks by the lych gate.";
    "methodist", "Kestleford Methodist Church", "22 Silver Street", "Town Centre", TOWN, "KF1 1GN", 51.2433, -1.9641,
        HALL, "Silver Street car park is free for the first hour.";
    "corn-exchange", "The Corn Exchange", "High Street", "Town Centre", TOWN, "KF1 1HS", 51.2418, -1.9633,
        "Lift to the studio, accessible toilets, hearing loop in the main hall.",
        "Opposite the High Street bus shelter.";
    "credit-union", "Credit Union Shop", "8 High Street", "Town Centre", TOWN, "KF1 1HT", 51.2419, -1.9637,
        "Step-free shop floor.", "Opposite the High Street bus shelter.";
    "meeting-house", "Friends Meeting House", "Friars Lane", "Town Centre", TOWN, "KF1 1JQ", 51.2426, -1.9649,
        HALL, "Friars Lane is a short walk up from the High Street.";
    // Riverside, KF1 2.
    "riverside-centre", "Riverside Community Centre", "Mill Lane", "Riverside", TOWN, "KF1 2RB", 51.2378, -1.9608,
        STEP_FREE, "Mill Lane stop on route 2; free parking.";
    "kestle-meadows", "Kestle Meadows (meet at the bandstand)", "Meadow Walk", "Riverside", TOWN, "KF1 2SA", 51.2368, -1.9636,
        "Firm level paths around the meadows; accessible toilets by the café.",
        "Ten minutes' walk from the Market Place along the river.";
    "st-johns", "Our Lady and St John's Church", "Tanners Row", "Riverside", TOWN, "KF1 2TW", 51.2386, -1.9585,
        HALL, "Tanners Row, off Mill Lane.";
    // Station Quarter, KF1 3.
    "work-hub", "Kestleford Work and Skills Hub", "Unit 2, Station Yard", "Station Quarter", TOWN, "KF1 3AX", 51.2416, -1.9735,
        STEP_FREE, "Next to the railway station and the bus interchange.";
    "adult-learning", "Kestleford Adult Learning Centre", "Station Road", "Station Quarter", TOWN, "KF1 3BU", 51.2410, -1.9722,
        "Lift to both floors, accessible toilets, hearing loops in every classroom.",
        "Five minutes' walk from the railway station.";
    "health-centre", "Kestleford Health Centre", "Kestle Road", "Station Quarter", TOWN, "KF1 3NP", 51.2404, -1.9705,
        STEP_FREE, "Route 2 stops outside; patient parking behind the building.";
    "leisure-centre", "Kestle Valley Leisure Centre", "Station Road", "Station Quarter", TOWN, "KF1 3DG", 51.2398, -1.9746,
        "Pool hoist, changing places toilet and lift to the studio.",
        "Free car park; route 2 stops outside.";
    "furniture-barn", "Second Home Furniture Barn", "Unit 6, Westway Trading Estate", "Station Quarter", TOWN, "KF1 3FL", 51.2441, -1.9791,
        "Everything is on one level; staff will help you load.",
        "Westway stop on route 4; customer parking in the yard.";
    // Northfield, KF2 1 and KF2 2.
    "family-hub", "Northfield Family Hub", "Larkspur Road", "Northfield", TOWN, "KF2 1AL", 51.2505, -1.9661,
        "Step-free throughout, pram parking, baby-changing and a quiet room.",
        "Larkspur Road stop on route 3.";
    "northfield-centre", "Northfield Community Centre", "Foxglove Way", "Northfield", TOWN, "KF2 1BZ", 51.2518, -1.9640,
        STEP_FREE, "Foxglove Way stop on route 3.";
    "st-michaels", "St Michael's Church, Northfield", "Beacon Road", "Northfield", TOWN, "KF2 2DN", 51.2531, -1.9676,
        HALL, "Beacon Road stop on route 3.";
    "community-garden", "Northfield Community Garden", "Behind 40 Foxglove Way", "Northfield", TOWN, "KF2 2EH", 51.2526, -1.9621,
        "Wide bark paths and raised beds at wheelchair height; compost toilet.",
        "Through the gate at the end of Foxglove Way.";
    "refuge", "Harbour House", "Juniper Close", "Northfield", TOWN, "KF2 2HQ", 51.2544, -1.9702,
        "Ground-floor flat adapted for a wheelchair user.", "";
    // Bellmead, KF2 3.
    "bellmead-baptist", "Bellmead Baptist Church", "Orchard Road", "Bellmead", TOWN, "KF2 3HA", 51.2478, -1.9506,
        HALL, "Orchard Road stop on route 5.";
    "the-loft", "The Loft Youth Centre", "Bellmead Road", "Bellmead", TOWN, "KF2 3JU", 51.2470, -1.9521,
        "Lift to the first floor; accessible toilet.", "Bellmead Road stop on route 5.";
    "mens-shed", "Kestleford Men's Shed", "Unit 3, Bellmead Farm Yard", "Bellmead", TOWN, "KF2 3LR", 51.2493, -1.9476,
        "Workshop on one level with wide doors.", "Parking in the farm yard.";
    // Castle Hill, KF3 1.
    "carers-centre", "Kestleford Carers' Centre", "2 Castle Street", "Castle Hill", TOWN, "KF3 1AP", 51.2427, -1.9491,
        STEP_FREE, "Castle Street stop on route 5.";
    "castle-house", "Castle House", "10 Castle Street", "Castle Hill", TOWN, "KF3 1AR", 51.2429, -1.9484,
        "Ramp at the front door, lift, accessible toilet and a hearing loop.", "Castle Street stop on route 5.";
    "hospital", "Kestleford Community Hospital", "Hospital Lane", "Castle Hill", TOWN, "KF3 1DS", 51.2441, -1.9455,
        "Step-free throughout; wheelchairs to borrow at the main entrance.",
        "Route 5 stops at the main entrance; pay-and-display parking.";
    // Fairleigh Park, KF3 2.
    "fairleigh-centre", "Fairleigh Park Community Centre", "Rowan Drive", "Fairleigh Park", TOWN, "KF3 2GE", 51.2348, -1.9498,
        STEP_FREE, "Rowan Drive stop on route 6.";
    "recovery-hub", "New Road Recovery Hub", "41 New Road", "Fairleigh Park", TOWN, "KF3 2HJ", 51.2361, -1.9531,
        "Ground-floor rooms; accessible toilet.", "New Road stop on route 6.";
    // The villages.
    "brindcombe-hall", "Brindcombe Village Hall", "The Green", "", "Brindcombe", "KF5 1AB", 51.2672, -1.9255,
        HALL, "Route 8 stops on The Green, hourly.";
    "brindcombe-church", "St Mary's Church, Brindcombe", "Church Street", "", "Brindcombe", "KF5 1BE", 51.2680, -1.9241,
        "A small step at the porch; a portable ramp is kept inside.", "Route 8 stops on The Green.";
    "sallowby-hall", "Upper Sallowby Memorial Hall", "Main Street", "", "Upper Sallowby", "KF6 1AD", 51.2958, -1.9705,
        HALL, "Route 9 stops outside, four times a day.";
    "sallowby-surgery", "Sallowby Surgery", "Mill Road", "", "Upper Sallowby", "KF6 1BG", 51.2966, -1.9689,
        STEP_FREE, "Route 9; patient parking.";
    "faxbury-rooms", "Faxbury Reading Room", "Chapel Lane", "", "Faxbury", "KF6 2AF", 51.2988, -2.0498,
        "One small step at the door; the room itself is level.", "Community transport only; ask about a lift.";
    "wyke-carrow-hall", "Wyke Carrow Village Hall", "Carrow Lane", "", "Wyke Carrow", "KF4 1AG", 51.2452, -2.0615,
        HALL, "Route 4 stops at the Carrow Lane turning.";
    "wyke-carrow-chapel", "Wyke Carrow Methodist Chapel", "The Street", "", "Wyke Carrow", "KF4 1BN", 51.2446, -2.0628,
        HALL, "Route 4 stops at the Carrow Lane turning.";
    "eddlestow-rooms", "Eddlestow Parish Rooms", "High Street", "", "Eddlestow", "KF4 2AH", 51.1852, -2.0295,
        HALL, "Route 7 on weekdays.";
    "coldwell-farm", "Coldwell Farm", "Coldwell Lane", "", "Eddlestow", "KF4 2DW", 51.1880, -2.0351,
        "Hard paths around the yard; some fields are rough ground.", "Free minibus from Kestleford station on session days.";
    "marrowcombe-hall", "Marrowcombe Village Hall", "School Lane", "", "Marrowcombe", "KF5 2AJ", 51.1962, -1.9048,
        HALL, "Route 6 on weekdays.";
    "pellow-cross-shop", "Pellow Cross Community Shop and Café", "The Cross", "", "Pellow Cross", "KF5 3AN", 51.2500, -1.8062,
        "Level access; accessible toilet in the café.", "Route 8 stops at The Cross.";
}

pub(super) fn venue(key: &str) -> &'static Venue {
    VENUES
        .iter()
        .find(|v| v.key == key)
        .unwrap_or_else(|| panic!("the demo names a venue \"{key}\" that is not in VENUES"))
}

/// Every demo postcode with its position, then a centroid for each sector and district
/// (the mean of the postcodes in it), so a search by "KF2 1" or "KF4" finds a middle.
pub fn postcodes() -> Vec<PostcodePoint> {
    let mut full: BTreeMap<&str, LatLon> = BTreeMap::new();
    for venue in VENUES {
        full.entry(venue.postcode).or_insert(LatLon {
            lat: venue.lat,
            lon: venue.lon,
        });
    }
    let mut sectors: BTreeMap<String, Vec<LatLon>> = BTreeMap::new();
    let mut districts: BTreeMap<String, Vec<LatLon>> = BTreeMap::new();
    let mut points = Vec::new();
    for (code, position) in full {
        let postcode = Postcode::parse(code).expect("demo postcodes are well formed");
        for coarser in postcode.fallbacks() {
            match coarser {
                Postcode::Sector(s) => sectors.entry(s).or_default().push(position),
                Postcode::District(d) => districts.entry(d).or_default().push(position),
                Postcode::Full(_) => {}
            }
        }
        points.push(PostcodePoint { postcode, position });
    }
    let mean = |positions: &[LatLon]| {
        let n = positions.len() as f64;
        LatLon {
            lat: positions.iter().map(|p| p.lat).sum::<f64>() / n,
            lon: positions.iter().map(|p| p.lon).sum::<f64>() / n,
        }
    };
    points.extend(sectors.into_iter().map(|(s, ps)| PostcodePoint {
        postcode: Postcode::Sector(s),
        position: mean(&ps),
    }));
    points.extend(districts.into_iter().map(|(d, ps)| PostcodePoint {
        postcode: Postcode::District(d),
        position: mean(&ps),
    }));
    points
}
