//! Synthetic directories for scale tests and benchmarks: any number of plausible services
//! spread over Great Britain, the same every time for the same seed.
//!
//! Each service is made from its own seed and index alone, so the millionth service costs
//! no more than the first and a generator can be restarted anywhere. Nothing here is real
//! except the towns' names and rough positions; phone numbers come from Ofcom's drama
//! ranges and web addresses use the reserved `.example` domain.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::directory::{
    Address, CostOption, Delivery, Frequency, Location, LocationType, Organization, Phone,
    Schedule, Service, ServiceAtLocation, ServiceStatus, WayIn,
};
use crate::needs::{NEEDS, NeedId};
use crate::time_of_day::TimeOfDay;

/// SplitMix64: tiny, fast and good enough to scatter test data; not for anything secret.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A real GB town: name, rough centre, county or area, and one of its postcode districts.
struct Town {
    name: &'static str,
    lat: f64,
    lon: f64,
    county: &'static str,
    district: &'static str,
}

const fn town(
    name: &'static str,
    lat: f64,
    lon: f64,
    county: &'static str,
    district: &'static str,
) -> Town {
    Town {
        name,
        lat,
        lon,
        county,
        district,
    }
}

static TOWNS: &[Town] = &[
    town("London", 51.5074, -0.1278, "Greater London", "EC1"),
    town("Croydon", 51.3762, -0.0982, "Greater London", "CR0"),
    town("Birmingham", 52.4862, -1.8904, "West Midlands", "B1"),
    town("Coventry", 52.4068, -1.5197, "West Midlands", "CV1"),
    town("Wolverhampton", 52.5870, -2.1288, "West Midlands", "WV1"),
    town("Manchester", 53.4808, -2.2426, "Greater Manchester", "M1"),
    town("Bolton", 53.5769, -2.4282, "Greater Manchester", "BL1"),
    town("Stockport", 53.4106, -2.1575, "Greater Manchester", "SK1"),
    town("Liverpool", 53.4084, -2.9916, "Merseyside", "L1"),
    town("Leeds", 53.8008, -1.5491, "West Yorkshire", "LS1"),
    town("Bradford", 53.7960, -1.7594, "West Yorkshire", "BD1"),
    town("Huddersfield", 53.6458, -1.7850, "West Yorkshire", "HD1"),
    town("Sheffield", 53.3811, -1.4701, "South Yorkshire", "S1"),
    town("Doncaster", 53.5228, -1.1285, "South Yorkshire", "DN1"),
    town("York", 53.9600, -1.0873, "North Yorkshire", "YO1"),
    town("Hull", 53.7676, -0.3274, "East Riding of Yorkshire", "HU1"),
    town(
        "Newcastle upon Tyne",
        54.9783,
        -1.6178,
        "Tyne and Wear",
        "NE1",
    ),
    town("Sunderland", 54.9069, -1.3838, "Tyne and Wear", "SR1"),
    town("Middlesbrough", 54.5742, -1.2350, "North Yorkshire", "TS1"),
    town("Durham", 54.7761, -1.5733, "County Durham", "DH1"),
    town("Carlisle", 54.8925, -2.9329, "Cumbria", "CA1"),
    town("Lancaster", 54.0466, -2.8007, "Lancashire", "LA1"),
    town("Preston", 53.7632, -2.7031, "Lancashire", "PR1"),
    town("Blackpool", 53.8175, -3.0357, "Lancashire", "FY1"),
    town("Chester", 53.1934, -2.8931, "Cheshire", "CH1"),
    town("Crewe", 53.0979, -2.4416, "Cheshire", "CW1"),
    town("Stoke-on-Trent", 53.0027, -2.1794, "Staffordshire", "ST1"),
    town("Derby", 52.9225, -1.4746, "Derbyshire", "DE1"),
    town("Nottingham", 52.9548, -1.1581, "Nottinghamshire", "NG1"),
    town("Leicester", 52.6369, -1.1398, "Leicestershire", "LE1"),
    town("Lincoln", 53.2307, -0.5406, "Lincolnshire", "LN1"),
    town("Northampton", 52.2405, -0.9027, "Northamptonshire", "NN1"),
    town("Peterborough", 52.5695, -0.2405, "Cambridgeshire", "PE1"),
    town("Cambridge", 52.2053, 0.1218, "Cambridgeshire", "CB1"),
    town("Norwich", 52.6309, 1.2974, "Norfolk", "NR1"),
    town("Ipswich", 52.0567, 1.1482, "Suffolk", "IP1"),
    town("Colchester", 51.8959, 0.8919, "Essex", "CO1"),
    town("Chelmsford", 51.7356, 0.4685, "Essex", "CM1"),
    town("Luton", 51.8787, -0.4200, "Bedfordshire", "LU1"),
    town("Milton Keynes", 52.0406, -0.7594, "Buckinghamshire", "MK9"),
    town("Oxford", 51.7520, -1.2577, "Oxfordshire", "OX1"),
    town("Reading", 51.4543, -0.9781, "Berkshire", "RG1"),
    town("Swindon", 51.5558, -1.7797, "Wiltshire", "SN1"),
    town("Bristol", 51.4545, -2.5879, "Bristol", "BS1"),
    town("Bath", 51.3811, -2.3590, "Somerset", "BA1"),
    town("Gloucester", 51.8642, -2.2382, "Gloucestershire", "GL1"),
    town("Worcester", 52.1936, -2.2216, "Worcestershire", "WR1"),
    town("Hereford", 52.0565, -2.7160, "Herefordshire", "HR1"),
    town("Shrewsbury", 52.7073, -2.7553, "Shropshire", "SY1"),
    town("Exeter", 50.7184, -3.5339, "Devon", "EX1"),
    town("Plymouth", 50.3755, -4.1427, "Devon", "PL1"),
    town("Truro", 50.2632, -5.0510, "Cornwall", "TR1"),
    town("Bournemouth", 50.7192, -1.8808, "Dorset", "BH1"),
    town("Southampton", 50.9097, -1.4044, "Hampshire", "SO14"),
    town("Portsmouth", 50.8198, -1.0880, "Hampshire", "PO1"),
    town("Brighton", 50.8225, -0.1372, "East Sussex", "BN1"),
    town("Hastings", 50.8543, 0.5735, "East Sussex", "TN34"),
    town("Canterbury", 51.2802, 1.0789, "Kent", "CT1"),
    town("Maidstone", 51.2704, 0.5227, "Kent", "ME14"),
    town("Guildford", 51.2362, -0.5704, "Surrey", "GU1"),
    town("Cardiff", 51.4816, -3.1791, "Cardiff", "CF10"),
    town("Swansea", 51.6214, -3.9436, "Swansea", "SA1"),
    town("Newport", 51.5842, -2.9977, "Newport", "NP20"),
    town("Wrexham", 53.0462, -2.9930, "Wrexham", "LL11"),
    town("Aberystwyth", 52.4153, -4.0829, "Ceredigion", "SY23"),
    town("Bangor", 53.2274, -4.1293, "Gwynedd", "LL57"),
    town("Glasgow", 55.8642, -4.2518, "Glasgow City", "G1"),
    town("Edinburgh", 55.9533, -3.1883, "City of Edinburgh", "EH1"),
    town("Aberdeen", 57.1497, -2.0943, "Aberdeen City", "AB10"),
    town("Dundee", 56.4620, -2.9707, "Dundee City", "DD1"),
    town("Inverness", 57.4778, -4.2247, "Highland", "IV1"),
    town("Stirling", 56.1165, -3.9369, "Stirling", "FK8"),
    town("Dumfries", 55.0709, -3.6051, "Dumfries and Galloway", "DG1"),
    town("Perth", 56.3950, -3.4308, "Perth and Kinross", "PH1"),
];

/// Words a service meeting each need might be called by: (kinds of service, activities).
fn vocabulary(need: NeedId) -> (&'static [&'static str], &'static [&'static str]) {
    match need.as_str() {
        "debt" => (
            &["Debt Advice", "Money Advice Service", "Debt Clinic"],
            &["arrears", "bailiffs", "payment plans", "priority debts"],
        ),
        "benefits" => (
            &[
                "Benefits Advice",
                "Welfare Rights Service",
                "Benefits Check Clinic",
            ],
            &[
                "Universal Credit",
                "PIP forms",
                "appeals",
                "entitlement checks",
            ],
        ),
        "money-management" => (
            &["Budgeting Course", "Money Skills Workshop", "Credit Union"],
            &["budgeting", "saving", "bank accounts"],
        ),
        "crisis-support" => (
            &["Crisis Fund", "Emergency Support Scheme", "Hardship Fund"],
            &["emergency grants", "fuel vouchers", "urgent help"],
        ),
        "fuel-poverty" => (
            &["Warm Space", "Energy Advice Line", "Warm Homes Service"],
            &["energy bills", "prepayment meters", "keeping warm"],
        ),
        "food" => (
            &[
                "Food Bank",
                "Community Pantry",
                "Community Fridge",
                "Lunch Club",
            ],
            &["food parcels", "hot meals", "fresh fruit and vegetables"],
        ),
        "gambling" => (
            &["Gambling Support", "Betting Harm Service"],
            &["gambling harm", "blocking software", "peer support"],
        ),
        "homelessness" => (
            &["Night Shelter", "Homeless Outreach", "Housing Options Team"],
            &["rough sleeping", "emergency accommodation", "a bed tonight"],
        ),
        "housing-advice" => (
            &["Housing Advice", "Tenancy Support", "Renters' Help Desk"],
            &["repairs", "deposits", "eviction notices"],
        ),
        "home-repairs" => (
            &[
                "Handyperson Service",
                "Home Adaptations Team",
                "Care and Repair",
            ],
            &["grab rails", "small repairs", "ramps"],
        ),
        "domestic-abuse" => (
            &["Domestic Abuse Service", "Safe Space", "Freedom Programme"],
            &["safety planning", "refuge", "independent advocates"],
        ),
        "victim-support" => (
            &[
                "Victim Support",
                "Hate Crime Reporting Centre",
                "Scam Support",
            ],
            &["after a crime", "antisocial behaviour", "scams"],
        ),
        "mental-health" => (
            &[
                "Talking Therapies",
                "Wellbeing Cafe",
                "Listening Service",
                "Counselling Service",
            ],
            &["anxiety", "low mood", "counselling", "stress"],
        ),
        "bereavement" => (
            &[
                "Bereavement Support",
                "Grief Cafe",
                "Bereavement Counselling",
            ],
            &["loss", "grief", "after a death"],
        ),
        "loneliness" => (
            &[
                "Befriending Service",
                "Friendship Group",
                "Telephone Befriending",
            ],
            &["friendly calls", "home visits", "company"],
        ),
        "physical-activity" => (
            &[
                "Health Walks",
                "Chair Exercise",
                "Walking Football",
                "Parkrun",
            ],
            &["gentle exercise", "walks", "keeping active"],
        ),
        "healthy-eating" => (
            &["Cook and Eat", "Healthy Weight Programme", "Cookery Club"],
            &["cooking", "healthy recipes", "weight management"],
        ),
        "smoking" => (
            &["Stop Smoking Service", "Quit Clinic"],
            &["stopping smoking", "vaping", "nicotine patches"],
        ),
        "alcohol-drugs" => (
            &["Recovery Service", "Drug and Alcohol Team", "Recovery Cafe"],
            &["cutting down", "recovery", "families affected"],
        ),
        "long-term-conditions" => (
            &[
                "Diabetes Group",
                "Breathe Easy Group",
                "Arthritis Support",
                "Pain Management Course",
            ],
            &["diabetes", "arthritis", "COPD", "living well"],
        ),
        "dementia" => (
            &["Memory Cafe", "Dementia Support", "Singing for the Brain"],
            &["memory problems", "dementia", "carers"],
        ),
        "carers" => (
            &["Carers' Centre", "Carers' Support Group", "Young Carers"],
            &["carers' assessments", "breaks", "peer support"],
        ),
        "disability" => (
            &[
                "Disability Advice",
                "Independent Living Centre",
                "Shopmobility",
            ],
            &["equipment", "mobility aids", "independent living"],
        ),
        "older-people" => (
            &["Age Well Club", "Over 60s Club", "Later Life Advice"],
            &["older people", "later life", "day trips"],
        ),
        "help-at-home" => (
            &["Good Neighbours", "Home Help Scheme", "Shopping Service"],
            &["shopping", "gardening", "odd jobs"],
        ),
        "parenting" => (
            &["Parenting Course", "Family Support Service", "Dads' Group"],
            &["parenting", "family workers", "behaviour"],
        ),
        "early-years" => (
            &["Stay and Play", "Baby and Toddler Group", "Family Hub"],
            &["toddlers", "babies", "under-fives"],
        ),
        "young-people" => (
            &["Youth Club", "Youth Project", "Teen Drop-in"],
            &["young people", "games", "youth workers"],
        ),
        "send" => (
            &["SEND Support", "SENDIASS", "Parent Carer Forum"],
            &["special educational needs", "EHCP", "autism"],
        ),
        "relationships" => (
            &[
                "Relationship Counselling",
                "Family Mediation",
                "Separation Support",
            ],
            &["relationships", "mediation", "separation"],
        ),
        "employment" => (
            &["Job Club", "Employment Support", "Work Coach Drop-in"],
            &["CVs", "interviews", "job search"],
        ),
        "skills" => (
            &[
                "Adult Learning",
                "Community College",
                "Maths and English Classes",
            ],
            &["courses", "qualifications", "learning"],
        ),
        "digital" => (
            &["Digital Drop-in", "Get Online Sessions", "Tech Help Cafe"],
            &["computers", "smartphones", "getting online"],
        ),
        "esol" => (
            &[
                "ESOL Classes",
                "English Conversation Club",
                "English Language Cafe",
            ],
            &["English classes", "conversation practice", "ESOL"],
        ),
        "transport" => (
            &["Community Transport", "Dial-a-Ride", "Volunteer Drivers"],
            &["lifts to appointments", "hospital transport", "bus passes"],
        ),
        "legal" => (
            &["Legal Advice Clinic", "Law Centre", "Free Legal Advice"],
            &["legal advice", "solicitors", "tribunals"],
        ),
        "immigration" => (
            &["Refugee Support", "Immigration Advice", "Asylum Drop-in"],
            &["asylum", "refugees", "immigration"],
        ),
        "household-goods" => (
            &["Furniture Project", "Baby Bank", "Clothes Bank"],
            &["furniture", "white goods", "clothes"],
        ),
        "social-groups" => (
            &[
                "Coffee Morning",
                "Community Cafe",
                "Men's Shed",
                "Knit and Natter",
            ],
            &["a cuppa and a chat", "making friends", "crafts"],
        ),
        "arts-creativity" => (
            &["Community Choir", "Art Group", "Creative Writing Group"],
            &["singing", "painting", "crafts"],
        ),
        "nature" => (
            &["Community Garden", "Green Gym", "Allotment Project"],
            &["gardening", "conservation", "the outdoors"],
        ),
        "volunteering" => (
            &["Volunteer Centre", "Volunteering Hub"],
            &["volunteering", "giving time", "helping others"],
        ),
        "community-action" => (
            &["Community Grants", "Community Development Team"],
            &["starting a group", "small grants", "community projects"],
        ),
        _ => (&["Community Service"], &["support"]),
    }
}

/// Needs people most often look for are the most common in real directories; the
/// weights roughly follow a social prescribing directory's mix.
fn weight(need: NeedId) -> usize {
    match need.as_str() {
        "food" | "mental-health" | "social-groups" | "loneliness" | "physical-activity" => 6,
        "debt" | "benefits" | "carers" | "older-people" | "early-years" | "young-people" => 4,
        "gambling" | "smoking" | "immigration" | "community-action" | "send" => 1,
        _ => 2,
    }
}

const ORG_KINDS: &[&str] = &[
    "Community Trust",
    "Citizens Advice",
    "Council for Voluntary Service",
    "Foodbank",
    "Mind",
    "Age Concern",
    "Carers Centre",
    "Family Hub",
    "Community Association",
    "Churches Together",
    "Health Partnership",
    "Youth Trust",
    "Neighbourhood Network",
    "Housing Association",
];

const VENUES: &[&str] = &[
    "Community Centre",
    "Library",
    "Methodist Church Hall",
    "Parish Rooms",
    "Leisure Centre",
    "Family Hub",
    "Town Hall",
    "Village Hall",
    "Health Centre",
    "Scout Hut",
];

const STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Street",
    "Market Place",
    "Park Road",
    "Victoria Road",
    "Mill Lane",
    "King Street",
];

const EXTRAS: &[&str] = &[
    "Run by friendly local volunteers.",
    "Everyone is welcome; come as you are.",
    "Tea, coffee and biscuits provided.",
    "Step-free access and a hearing loop.",
    "Interpreters can be arranged on request.",
    "We can also put you in touch with other local help.",
    "Confidential and non-judgemental.",
    "Book ahead if you can, as places are limited.",
];

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The namespace all ids of one synthetic directory live in.
fn namespace(seed: u64) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("knit-synthetic/{seed}").as_bytes(),
    )
}

fn id(ns: &Uuid, kind: &str, index: usize, part: usize) -> Uuid {
    Uuid::new_v5(ns, format!("{kind}/{index}/{part}").as_bytes())
}

/// Services in one synthetic directory; roughly three services per organisation.
pub fn services(n: usize, seed: u64) -> impl Iterator<Item = Service> {
    let ns = namespace(seed);
    let organisations = n.div_ceil(3).max(1);
    let weighted: Vec<NeedId> = NEEDS
        .iter()
        .flat_map(|need| std::iter::repeat_n(need.id, weight(need.id)))
        .collect();
    (0..n).map(move |index| service(&ns, seed, index, organisations, &weighted))
}

/// An organisation's name and home town follow from its index alone, so every service
/// of it agrees.
fn organisation(ns: &Uuid, seed: u64, org: usize) -> (Organization, &'static Town) {
    let mut rng =
        SplitMix64::new(seed ^ 0x6F72_6721 ^ (org as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let town = rng.pick(TOWNS);
    let kind = rng.pick(ORG_KINDS);
    let name = format!("{} {kind}", town.name);
    let slug: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let organisation = Organization {
        id: id(ns, "organization", org, 0),
        name,
        alternate_name: None,
        description: Some(format!(
            "A local charity serving {} and the villages around it since {}.",
            town.name,
            1950 + rng.below(70)
        )),
        email: Some(format!("hello@{slug}.example")),
        website: Some(format!("https://{slug}.example")),
        legal_status: Some("Registered charity".to_owned()),
        year_incorporated: None,
        logo: None,
        uri: None,
    };
    (organisation, town)
}

fn time(hours: u16, minutes: u16) -> TimeOfDay {
    TimeOfDay::from_hm(hours, minutes).expect("hours and minutes in range")
}

fn schedules(rng: &mut SplitMix64, ns: &Uuid, index: usize, service_id: Uuid) -> Vec<Schedule> {
    let blank = |part: usize| Schedule {
        id: id(ns, "schedule", index, part),
        service_id: Some(service_id),
        valid_from: None,
        valid_to: None,
        dtstart: None,
        until: None,
        freq: Some(Frequency::Weekly),
        interval: None,
        byday: None,
        bymonthday: None,
        opens_at: None,
        closes_at: None,
        description: None,
        notes: None,
    };
    let opens = 8 + rng.below(11) as u16;
    let minutes = if rng.chance(0.3) { 30 } else { 0 };
    let length = 1 + rng.below(6) as u16;
    let closes = (opens + length).min(23);
    let mut schedule = blank(0);
    schedule.opens_at = Some(time(opens, minutes));
    schedule.closes_at = Some(time(closes, minutes));
    let roll = rng.unit();
    if roll < 0.45 {
        schedule.byday = Some(rng.pick(&DAYS).to_string());
    } else if roll < 0.65 {
        schedule.byday = Some("MO,TU,WE,TH,FR".into());
    } else if roll < 0.75 {
        let first = rng.below(5);
        let second = first + 1 + rng.below(6 - first);
        schedule.byday = Some(format!("{},{}", DAYS[first], DAYS[second]));
    } else if roll < 0.88 {
        schedule.freq = Some(Frequency::Monthly);
        let ordinal = if rng.chance(0.15) {
            -1
        } else {
            1 + rng.below(4) as i8
        };
        schedule.byday = Some(format!("{ordinal}{}", rng.pick(&DAYS)));
    } else if roll < 0.96 {
        schedule.interval = Some(2);
        let start = NaiveDate::from_ymd_opt(2025, 9, 1).expect("a real date")
            + chrono::Days::new(rng.below(7) as u64);
        schedule.dtstart = Some(start);
        schedule.byday = Some(
            DAYS[chrono::Datelike::weekday(&start).num_days_from_monday() as usize].to_owned(),
        );
    } else {
        // A winter night shelter.
        schedule.byday = Some(DAYS.join(","));
        schedule.opens_at = Some(time(19, 0));
        schedule.closes_at = Some(time(8, 0));
        schedule.valid_from = NaiveDate::from_ymd_opt(2025, 12, 1);
        schedule.valid_to = NaiveDate::from_ymd_opt(2026, 3, 31);
    }
    let mut out = vec![schedule];
    if rng.chance(0.1) {
        let mut evening = blank(1);
        evening.byday = Some(rng.pick(&DAYS).to_string());
        evening.opens_at = Some(time(18, 0));
        evening.closes_at = Some(time(20, 0));
        out.push(evening);
    }
    out
}

fn service(
    ns: &Uuid,
    seed: u64,
    index: usize,
    organisations: usize,
    weighted: &[NeedId],
) -> Service {
    let mut rng = SplitMix64::new(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let org_index = rng.below(organisations);
    let (organisation, town) = organisation(ns, seed, org_index);
    let service_id = id(ns, "service", index, 0);

    let mut needs = vec![*rng.pick(weighted)];
    for _ in 0..rng.below(3) {
        let need = *rng.pick(weighted);
        if !needs.contains(&need) {
            needs.push(need);
        }
    }
    let (kinds, topics) = vocabulary(needs[0]);
    let kind = rng.pick(kinds);
    let venue = rng.pick(VENUES);
    let name = match rng.below(3) {
        0 => format!("{} {kind}", town.name),
        1 => format!("{kind} at {} {venue}", town.name),
        _ => kind.to_string(),
    };
    let mut description = format!(
        "{kind} in {} for anyone who needs it: {}. {}",
        town.name,
        topics
            .iter()
            .take(1 + rng.below(topics.len()))
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        needs[0].need().description
    );
    for need in &needs[1..] {
        let (_, topics) = vocabulary(*need);
        description.push_str(&format!(" We can also help with {}.", rng.pick(topics)));
    }
    description.push(' ');
    let extra: &str = EXTRAS[rng.below(EXTRAS.len())];
    description.push_str(extra);

    // About one in seven services has no place to visit: a phone line or a website.
    let remote = rng.chance(0.15);
    let mut service_at_locations = Vec::new();
    let mut delivery = Vec::new();
    if remote {
        if rng.chance(0.5) {
            delivery.push(Delivery::Phone);
        } else {
            delivery.push(Delivery::Online);
            let location_id = id(ns, "location", index, 0);
            service_at_locations.push(ServiceAtLocation {
                id: id(ns, "service_at_location", index, 0),
                service_id: Some(service_id),
                location_id: Some(location_id),
                description: None,
                location: Some(Location {
                    id: location_id,
                    location_type: LocationType::Virtual,
                    url: organisation.website.clone(),
                    name: Some("Online".into()),
                    description: None,
                    transportation: None,
                    latitude: None,
                    longitude: None,
                    confidential: false,
                    addresses: vec![],
                    accessibility: vec![],
                }),
            });
        }
    } else {
        delivery.push(Delivery::InPerson);
        let places = if rng.chance(0.1) { 2 } else { 1 };
        for part in 0..places {
            let location_id = id(ns, "location", index, part);
            // Within about 8 km of the town centre.
            let lat = town.lat + (rng.unit() - 0.5) * 0.14;
            let lon = town.lon + (rng.unit() - 0.5) * 0.22;
            let inward = format!(
                "{}{}{}",
                rng.below(10),
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char
            );
            service_at_locations.push(ServiceAtLocation {
                id: id(ns, "service_at_location", index, part),
                service_id: Some(service_id),
                location_id: Some(location_id),
                description: None,
                location: Some(Location {
                    id: location_id,
                    location_type: LocationType::Physical,
                    url: None,
                    name: Some(format!("{} {}", town.name, rng.pick(VENUES))),
                    description: None,
                    transportation: None,
                    latitude: Some((lat * 1e5).round() / 1e5),
                    longitude: Some((lon * 1e5).round() / 1e5),
                    confidential: false,
                    addresses: vec![Address {
                        id: id(ns, "address", index, part),
                        location_id: Some(location_id),
                        attention: None,
                        address_1: format!("{} {}", 1 + rng.below(200), rng.pick(STREETS)),
                        address_2: None,
                        city: town.name.to_owned(),
                        region: None,
                        state_province: town.county.to_owned(),
                        postal_code: format!("{} {inward}", town.district),
                        country: "GB".to_owned(),
                        address_type: "physical".to_owned(),
                    }],
                    accessibility: vec![],
                }),
            });
        }
        if rng.chance(0.2) {
            delivery.push(Delivery::Phone);
        }
    }

    let (minimum_age, maximum_age) = match rng.below(20) {
        0..=10 => (None, None),
        11..=13 => (Some(18), None),
        14 | 15 => (Some(60), None),
        16 => (None, Some(5)),
        17 => (Some(11), Some(18)),
        18 => (Some(16), Some(25)),
        _ => (Some(16), None),
    };
    let cost_options = if rng.chance(0.25) {
        vec![CostOption {
            id: id(ns, "cost_option", index, 0),
            service_id: Some(service_id),
            valid_from: None,
            valid_to: None,
            option: Some("Per session".into()),
            currency: Some("GBP".into()),
            amount: Some((1 + rng.below(10)) as f64 / 2.0 + 0.5),
            amount_description: Some("per session".into()),
        }]
    } else {
        vec![]
    };
    let way_in = match rng.below(10) {
        0..=3 => WayIn::DropIn,
        4..=7 => WayIn::SelfRefer,
        _ => WayIn::ReferralNeeded,
    };
    let status = match rng.below(100) {
        0 => ServiceStatus::Inactive,
        1 => ServiceStatus::TemporarilyClosed,
        _ => ServiceStatus::Active,
    };

    let mut service = Service {
        id: service_id,
        organization_id: organisation.id,
        name,
        alternate_name: None,
        description: Some(description),
        url: organisation.website.clone(),
        email: organisation.email.clone(),
        status,
        interpretation_services: None,
        application_process: Some(match way_in {
            WayIn::DropIn => "Just turn up during opening times.".to_owned(),
            WayIn::SelfRefer => "Phone or email us to book.".to_owned(),
            WayIn::ReferralNeeded => {
                "You need a referral from your GP or a support worker.".to_owned()
            }
        }),
        fees_description: Some(if cost_options.is_empty() {
            "Free".into()
        } else {
            "A small charge per session".into()
        }),
        eligibility_description: None,
        minimum_age,
        maximum_age,
        alert: None,
        assured_date: NaiveDate::from_ymd_opt(
            2025,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        ),
        last_modified: None,
        phones: vec![Phone {
            id: id(ns, "phone", index, 0),
            service_id: Some(service_id),
            contact_id: None,
            number: format!("07700 900{:03}", rng.below(1000)),
            extension: None,
            kind: Some("voice".into()),
            description: None,
        }],
        schedules: schedules(&mut rng, ns, index, service_id),
        service_areas: vec![],
        service_at_locations,
        languages: vec![],
        cost_options,
        contacts: vec![],
        attributes: vec![],
        organization: Some(organisation),
    };
    service.set_needs(&needs);
    service.set_way_in(way_in);
    service.set_delivery(&delivery);
    service
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::check_service;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn every_generated_service_is_a_valid_listing() {
        for service in services(3000, 7) {
            let problems = check_service(&service);
            assert!(problems.is_empty(), "{}: {problems:?}", service.name);
            assert!(!service.needs().is_empty() && service.needs().len() <= 3);
            assert!(service.way_in().is_some());
            assert!(!service.delivery().is_empty());
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_directory_and_another_seed_another() {
        let a: Vec<Service> = services(50, 1).collect();
        let b: Vec<Service> = services(50, 1).collect();
        let c: Vec<Service> = services(50, 2).collect();
        assert_eq!(a, b);
        assert_ne!(a[0].id, c[0].id);
        let ids: HashSet<Uuid> = a.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), 50, "ids are unique");
    }

    #[test]
    fn a_directory_looks_like_a_real_one() {
        let all: Vec<Service> = services(5000, 42).collect();
        let remote = all
            .iter()
            .filter(|s| s.public_locations().all(|l| l.latitude.is_none()))
            .count();
        assert!(
            (500..1100).contains(&remote),
            "about 15% have no place to visit: {remote}"
        );

        let mut per_org: HashMap<Uuid, (usize, String)> = HashMap::new();
        for s in &all {
            let entry = per_org
                .entry(s.organization_id)
                .or_insert((0, s.organization.as_ref().unwrap().name.clone()));
            entry.0 += 1;
            assert_eq!(
                entry.1,
                s.organization.as_ref().unwrap().name,
                "an organisation keeps its name"
            );
        }
        assert!(
            per_org.values().filter(|(n, _)| *n > 1).count() > 500,
            "organisations run several services"
        );

        let towns: HashSet<&str> = all
            .iter()
            .flat_map(|s| s.public_locations())
            .flat_map(|l| l.addresses.iter())
            .map(|a| a.city.as_str())
            .collect();
        assert!(
            towns.len() > 50,
            "spread over Great Britain: {}",
            towns.len()
        );

        let needs: HashSet<NeedId> = all.iter().flat_map(|s| s.needs()).collect();
        assert_eq!(needs.len(), NEEDS.len(), "every need appears");
        let free = all.iter().filter(|s| s.is_free()).count();
        assert!(
            (3000..4500).contains(&free),
            "most services are free: {free}"
        );
        assert!(all.iter().any(|s| s.minimum_age == Some(60)));
        assert!(all.iter().any(|s| {
            s.schedules
                .iter()
                .any(|x| x.freq == Some(Frequency::Monthly))
        }));
        assert!(all.iter().any(|s| !s.status.is_listed()));
    }

    #[test]
    fn the_generator_spreads_its_numbers_evenly() {
        let mut rng = SplitMix64::new(99);
        let mut counts = [0usize; 10];
        for _ in 0..100_000 {
            counts[rng.below(10)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
    }
}
