//! The organisations that run Kestleford's services. Phone numbers come from Ofcom's
//! ranges kept for drama (01632 960xxx, 07700 900xxx, 0808 157 0xxx) and web and email
//! addresses use the reserved `.example` domain, so nothing here reaches a real person.

pub(super) struct Org {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// The host under `.example`: the website is `https://{host}` and the email `hello@{host}`.
    pub host: &'static str,
    /// The number a service uses unless it has its own; "" when the organisation has none.
    pub phone: &'static str,
    pub legal_status: &'static str,
    pub founded: i32,
}

const CHARITY: &str = "Registered charity";
const COUNCIL: &str = "Local authority";
const NHS: &str = "NHS body";
const GROUP: &str = "Unincorporated community group";
const CIO: &str = "Charitable incorporated organisation";
const CIC: &str = "Community interest company";
const SOCIETY: &str = "Co-operative society";

macro_rules! orgs {
    ($( $key:literal, $name:literal, $host:literal, $phone:literal, $legal:expr, $founded:literal, $description:literal; )*) => {
        pub(super) static ORGS: &[Org] = &[
            $( Org { key: $key, name: $name, host: $host, phone: $phone, legal_status: $legal, founded: $founded,
                description: $description }, )*
        ];
    };
}

orgs! {
    "council", "Kestle Valley District Council", "kestlevalley.gov.example", "01632 960000", COUNCIL, 1974,
        "The district council for Kestleford and the Kestle Valley villages: housing, council tax, benefits, libraries and community grants.";
    "advice", "Kestleford Advice Centre", "kestlefordadvice.example", "01632 960110", CHARITY, 1978,
        "Free, independent and confidential advice on money, benefits, work, housing and consumer problems, for anyone who lives or works in the Kestle Valley.";
    "foodbank", "Kestle Valley Food Bank", "kestlevalleyfoodbank.example", "01632 960120", CHARITY, 2011,
        "Churches across the valley working together so nobody here goes hungry.";
    "fairleigh", "Fairleigh Park Community Association", "fairleighpark.example", "01632 960130", CIO, 1989,
        "Runs Fairleigh Park Community Centre and the community pantry, by and for the people of the estate.";
    "credit-union", "Kestleford and District Credit Union", "kestlefordcu.example", "01632 960140", SOCIETY, 1998,
        "A not-for-profit savings and loans co-operative owned by its members in the Kestle Valley.";
    "work-hub", "Kestleford Work and Skills Hub", "kestlefordworkhub.example", "01632 960150", COUNCIL, 2016,
        "The council and local employers helping people into work, whatever their starting point.";
    "adult-learning", "Kestle Valley Adult Learning", "kestlevalleylearning.example", "01632 960160", COUNCIL, 1992,
        "Friendly courses for adults, from English and maths to computers, crafts and new careers.";
    "library", "Kestleford Library", "kestlefordlibrary.example", "01632 960170", COUNCIL, 1905,
        "Books, computers, free wifi, events and friendly help for everyone, run by the district council.";
    "pcn", "Kestle Valley Primary Care Network", "kestlevalleypcn.nhs.example", "01632 960180", NHS, 2019,
        "The GP practices of Kestleford and Upper Sallowby, working together on care beyond the surgery.";
    "talking-therapies", "Kestle Valley Talking Therapies", "kestlevalleytalking.nhs.example", "01632 960190", NHS, 2008,
        "Free NHS talking therapies for adults with anxiety, low mood and stress.";
    "listening-line", "Kestle Valley Listening Line", "listeningline.example", "0808 157 0100", CHARITY, 1983,
        "Trained volunteers who listen, day or night, to anyone who is struggling.";
    "cedar", "Cedar Bereavement Support", "cedarbereavement.example", "01632 960200", CHARITY, 1996,
        "Support for children and adults in the Kestle Valley after someone close to them has died.";
    "harbour", "Harbour Domestic Abuse Service", "harbourdas.example", "0808 157 0200", CHARITY, 1987,
        "Safety, support and refuge for anyone affected by domestic abuse, and their children.";
    "victims", "Kestle Valley Victims' Service", "kvvictims.example", "0808 157 0300", CHARITY, 2001,
        "Free, confidential support for anyone affected by crime, whether or not it was reported.";
    "youth-trust", "Kestleford Youth Trust", "kestlefordyouth.example", "01632 960210", CIO, 2005,
        "Youth work for 11 to 19 year olds (up to 25 with a disability) across Kestleford and the villages.";
    "family-hub", "Kestle Valley Family Hubs", "kvfamilyhubs.gov.example", "01632 960220", COUNCIL, 2023,
        "Help for families with children from pregnancy to 19 (25 with SEND), all in one place.";
    "send-parents", "Puzzle Pieces Parent Carers", "puzzlepieces.example", "07700 900110", CIO, 2012,
        "Parents and carers of children with special educational needs and disabilities supporting each other.";
    "carers", "Kestleford Carers' Centre", "kestlefordcarers.example", "01632 960230", CHARITY, 1999,
        "Information, breaks and a listening ear for unpaid carers of every age.";
    "forget-me-not", "Forget-Me-Not Memory Cafés", "forgetmenotcafes.example", "07700 900120", GROUP, 2014,
        "Volunteer-run cafés where people living with dementia and those who care for them can relax together.";
    "age-well", "Age Well Kestleford", "agewellkestleford.example", "01632 960240", CHARITY, 1972,
        "Helping older people in the Kestle Valley to live well, stay independent and keep in touch.";
    "home-safe", "Kestleford Home Safe", "kestlefordhomesafe.example", "01632 960250", CHARITY, 1994,
        "Repairs, adaptations and energy improvements so older and disabled people can stay safe at home.";
    "transport", "Kestle Valley Community Transport", "kvcommunitytransport.example", "01632 960260", CHARITY, 1986,
        "Door-to-door transport for people who cannot easily use buses, driven by staff and volunteers.";
    "second-home", "Second Home Furniture", "secondhomefurniture.example", "01632 960270", CIC, 2009,
        "Gives good used furniture and appliances a second home, and trains volunteers on the way.";
    "walking", "Kestleford Health Walks", "kestlefordwalks.example", "07700 900130", GROUP, 2010,
        "Free, friendly, led walks for every pace.";
    "meadows-5k", "Kestle Meadows Saturday 5k", "meadows5k.example", "", GROUP, 2015,
        "A free, timed 5k around Kestle Meadows every Saturday, run by volunteers.";
    "leisure", "Kestle Valley Leisure", "kestlevalleyleisure.example", "01632 960280", CIC, 2004,
        "Runs the leisure centre and classes in village halls across the valley.";
    "healthy-lifestyles", "Kestle Valley Healthy Lifestyles", "kvhealthylifestyles.gov.example", "01632 960290", COUNCIL, 2013,
        "The council's free service to help people stop smoking, eat well and move more.";
    "recovery", "New Road Recovery", "newroadrecovery.example", "01632 960300", CHARITY, 2007,
        "Confidential support for anyone who wants to change their drinking or drug use, and for their families.";
    "level-ground", "Level Ground Gambling Support", "levelground.example", "0808 157 0400", CHARITY, 2018,
        "Free support for anyone harmed by gambling, their own or someone else's.";
    "law-clinic", "Kestle Valley Community Law Clinic", "kvlawclinic.example", "01632 960310", CHARITY, 2003,
        "Volunteer solicitors and law students giving free legal advice.";
    "welcome", "Kestle Valley Welcome", "kvwelcome.example", "01632 960320", CIO, 2016,
        "Friendship, practical help and regulated immigration advice for refugees, people seeking asylum and new arrivals.";
    "community-garden", "Northfield Community Garden", "northfieldgarden.example", "07700 900140", GROUP, 2012,
        "A shared growing space on the Northfield estate, open to anyone who wants to get their hands dirty.";
    "corn-exchange", "Corn Exchange Arts", "cornexchangearts.example", "01632 960330", CHARITY, 1981,
        "Kestleford's arts centre: classes, workshops, exhibitions and shows.";
    "choir", "Kestleford Community Choir", "kestlefordchoir.example", "07700 900150", GROUP, 2008,
        "A choir for people who think they cannot sing. No auditions, no reading music.";
    "mens-shed", "Kestleford Men's Shed", "kestlefordshed.example", "07700 900160", GROUP, 2017,
        "A workshop where men (and anyone else) make, mend and chat.";
    "volunteer-centre", "Kestle Valley Volunteer Centre", "kvvolunteers.example", "01632 960340", CHARITY, 1990,
        "Matches volunteers with local groups and helps people start and run community groups.";
    "foundation", "Kestle Valley Community Foundation", "kvfoundation.example", "01632 960350", CHARITY, 2006,
        "Gives small grants to local groups and to people facing hardship.";
    "kestle-homes", "Kestle Homes", "kestlehomes.example", "01632 960360", "Housing association", 1999,
        "The valley's largest housing association, with about 3,000 homes.";
    "energy", "Kestle Valley Warm Homes", "kvwarmhomes.example", "0808 157 0500", CIC, 2012,
        "Free, impartial advice on energy bills, prepayment meters and keeping your home warm.";
    "relationships", "Kestleford Relationship Counselling", "kestlefordcounselling.example", "01632 960370", CHARITY, 1975,
        "Counselling for couples, families and individuals, and family mediation.";
    "independent-living", "Kestleford Independent Living Centre", "kestlefordilc.example", "01632 960380", CHARITY, 1993,
        "Run by disabled people: advice, equipment to try and support to live independently.";
    "better-breathing", "Better Breathing Kestleford", "betterbreathing.example", "07700 900170", GROUP, 2009,
        "A friendly support group for people living with lung conditions, and their families.";
    "st-aldhelm", "St Aldhelm's Church, Kestleford", "staldhelms.example", "01632 960390", CHARITY, 1963,
        "The parish church in the middle of town, open every day.";
    "northfield-church", "St Michael's Church, Northfield", "stmichaelsnorthfield.example", "01632 960400", CHARITY, 1962,
        "The church at the heart of the Northfield estate.";
    "sallowby-parish", "Upper Sallowby Parish Council", "uppersallowby-pc.example", "01632 960410", COUNCIL, 1894,
        "The parish council for Upper Sallowby and Faxbury.";
    "youth-online", "Openline Youth", "openlineyouth.example", "", CHARITY, 2015,
        "Free, safe and anonymous online counselling and support for young people aged 11 to 25.";
    "coldwell", "Coldwell Care Farm", "coldwellfarm.example", "01632 960420", CIC, 2011,
        "A working farm near Eddlestow where people find their feet through animals, growing and the outdoors.";
    "churches-together", "Churches Together in Kestleford", "ctkestleford.example", "01632 960430", CHARITY, 1968,
        "The town's churches working together, including the winter night shelter.";
    "riverside", "Riverside Community Centre Trust", "riversidecentre.example", "01632 960440", CIO, 1979,
        "Looks after Riverside Community Centre and the café, repair café and groups that meet there.";
    "minds-matter", "Kestle Valley Minds Matter", "mindsmatter.example", "01632 960450", CHARITY, 1991,
        "Local mental health charity: peer support, the evening crisis café and wellbeing courses.";
    "baby-basics", "Kestleford Baby Basics", "kestlefordbabybasics.example", "07700 900180", GROUP, 2016,
        "Volunteers giving new parents the essentials for a baby, passed on with love.";
    "brindcombe-church", "St Mary's Church, Brindcombe", "stmarysbrindcombe.example", "07700 900190", CHARITY, 1965,
        "A small village church with a big kettle.";
    "wyke-carrow-crafters", "Wyke Carrow Crafters", "wykecarrowcrafters.example", "07700 900200", GROUP, 2011,
        "Knitters, stitchers and natterers of Wyke Carrow and anywhere else.";
    "pellow-shop", "Pellow Cross Community Shop", "pellowcrossshop.example", "01632 960460", SOCIETY, 2013,
        "The village shop and café, owned by 240 villagers and run mostly by volunteers.";
}

pub(super) fn org(key: &str) -> &'static Org {
    ORGS.iter()
        .find(|o| o.key == key)
        .unwrap_or_else(|| panic!("the demo names an organisation \"{key}\" that is not in ORGS"))
}
