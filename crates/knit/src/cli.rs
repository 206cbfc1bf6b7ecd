//! The command line. Every command exits non-zero with a one-line reason on failure.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::config::{DEFAULT_BIND, DEFAULT_DATA_DIR};

#[derive(Debug, Parser)]
#[command(
    name = "knit",
    version,
    about = "Knit connects people to the help around them."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Where Knit keeps its files (the SQLite database by default).
    #[arg(long, env = "KNIT_DATA_DIR", default_value = DEFAULT_DATA_DIR, global = true)]
    pub data_dir: PathBuf,
    /// The database: postgres://… for PostgreSQL; by default a SQLite file in the data directory.
    #[arg(long, env = "KNIT_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// The key file that seals personal data (created on first use): by default `knit.key`
    /// in the data directory. Keep it out of database backups, and back it up on its own.
    #[arg(long, env = "KNIT_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// Reverse proxies in front of Knit whose X-Forwarded-For is believed, as addresses or
    /// networks (`127.0.0.1, 10.0.0.0/8`). None by default: every client is its own address.
    #[arg(long, env = "KNIT_TRUSTED_PROXIES", global = true, value_parser = knit_web::kit::TrustedProxies::parse, default_value = "")]
    pub trusted_proxies: knit_web::kit::TrustedProxies,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the website and the APIs.
    Serve {
        #[arg(long, env = "KNIT_BIND", default_value = DEFAULT_BIND)]
        bind: String,
        /// The site's name, shown on every page.
        #[arg(long, env = "KNIT_SITE_NAME", default_value = "Knit")]
        site_name: String,
        /// The area the directory covers, as residents would say it.
        #[arg(long, env = "KNIT_SITE_AREA", default_value = "your area")]
        site_area: String,
        /// Years a closed case is kept before it is listed for a place lead to review.
        #[arg(long, env = "KNIT_RETENTION_YEARS", default_value_t = 6)]
        retention_years: u32,
        /// Working days an organisation has to answer a referral before it is reminded.
        #[arg(long, env = "KNIT_REFERRAL_REMIND_DAYS", default_value_t = 5)]
        remind_after_days: u32,
        /// Working days before the referrer is told a referral has not been answered.
        #[arg(long, env = "KNIT_REFERRAL_ESCALATE_DAYS", default_value_t = 10)]
        escalate_after_days: u32,
        /// How residents reach a coordinator, printed on connectors' postcards.
        #[arg(long, env = "KNIT_COORDINATOR_CONTACT")]
        coordinator_contact: Option<String>,
        /// The areas place insight counts by: `district` (postcode district), `sector`,
        /// `ward` or `authority` (local authority; these two need `knit import wards`).
        #[arg(long, env = "KNIT_INSIGHT_AREA", default_value = "district", value_parser = parse_area_level)]
        insight_area: knit_domain::insight::AreaLevel,
    },
    /// Start Knit with its demo town on a fresh SQLite file, and print the address.
    Demo {
        #[arg(long, env = "KNIT_BIND", default_value = DEFAULT_BIND)]
        bind: String,
    },
    /// Create or update the database tables, then stop.
    Migrate,
    /// Bring data in.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write data out.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Search the directory, exactly as the website does.
    Search {
        /// A postcode, a place name, or LAT,LON.
        #[arg(long)]
        near: Option<String>,
        /// Only services meeting this need (an id from the needs taxonomy, such as food).
        #[arg(long)]
        need: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// One JSON array of results, each with id, name, score and distance_km.
        #[arg(long)]
        json: bool,
        words: Vec<String>,
    },
    /// Turn people's own words into needs.
    Match {
        /// Read {"id", "text"} lines on standard input, write {"id", "needs"} lines.
        #[arg(long)]
        jsonl: bool,
        /// Text to match, when not reading JSON lines.
        text: Vec<String>,
    },
    /// Write a synthetic HSDS file of N services, for scale tests and benchmarks.
    Generate {
        #[arg(long)]
        services: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write; standard output if not given.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Measure the needs matcher or search relevance against examples.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Time Knit's own work on a given file, to compare with other engines.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// People supported by coordinators.
    #[command(subcommand)]
    Person(PersonCommand),
    /// The keys that seal personal data.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write a backup of the database to FILE (the key file is not in it).
    Backup { file: PathBuf },
    /// Put a backup in place of the database. Stop every running Knit first.
    Restore {
        file: PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
    },
    /// The database itself.
    #[command(subcommand)]
    Db(DbCommand),
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy this SQLite database into an empty PostgreSQL database, all or nothing, checked
    /// table by table.
    Copy {
        /// The PostgreSQL database to copy to: postgres://…
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Write everything held about a person as JSON (a subject-access request); standard
    /// output if no file is given.
    Export {
        /// The person's reference, as on their page.
        id: uuid::Uuid,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new key, seal everything again under it, then drop the old keys. Stop every
    /// running instance first: they hold the old keys.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a member of staff and print a one-time link for them to set a password.
    Add {
        #[arg(long)]
        email: String,
        /// place-lead, coordinator, partner-staff or connector.
        #[arg(long)]
        role: String,
        /// The name to greet them by; the start of their email address if not given.
        #[arg(long)]
        name: Option<String>,
        /// For partner staff: the id of their organisation in the directory.
        #[arg(long)]
        organization: Option<uuid::Uuid>,
        /// The site's address, to start the link with.
        #[arg(long, env = "KNIT_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// List every member of staff with their status and roles.
    List,
    /// Suspend someone: they are signed out at once and cannot sign in.
    Suspend { email: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every link of the audit log's hash chain; names the first broken one.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// An HSDS 3.0 file of compiled services: a JSON array, or one service per line
    /// (ndjson). Read as a stream; all or nothing.
    Hsds {
        file: PathBuf,
        /// The file's layout; by default its first character tells ([ an array, { ndjson).
        #[arg(long, value_enum)]
        format: Option<commands::data::HsdsFormat>,
    },
    /// A CSV with postcode, latitude and longitude columns (ONS Postcode Directory or
    /// Code-Point Open style); "-" reads standard input.
    Postcodes { file: PathBuf },
    /// Electoral wards, so the agency map can count by ward or local authority
    /// (`--insight-area ward`): a CSV of ward centres (ward code, latitude, longitude) and
    /// a CSV naming each ward and its local authority (the ONS ward lookup). Replaces the
    /// wards held; all or nothing.
    Wards { centres: PathBuf, names: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The whole directory as an HSDS 3.0 JSON array; standard output if no file is given.
    Hsds { file: Option<PathBuf> },
    /// The local fund's awards as a 360Giving data package (JSON); standard output if no
    /// file is given. Individuals are named only as "Individual Recipient".
    #[command(name = "360giving")]
    ThreeSixtyGiving {
        #[arg(long)]
        out: Option<PathBuf>,
        /// The funder's 360Giving prefix, as registered with 360Giving (`360G-…`).
        #[arg(long, env = "KNIT_360G_PREFIX")]
        prefix: Option<String>,
        /// The funder's organisation identifier (`GB-CHC-…`, `GB-LAE-…`).
        #[arg(long, env = "KNIT_360G_FUNDER_ID")]
        funder_id: Option<String>,
        #[arg(long, env = "KNIT_360G_FUNDER_NAME")]
        funder_name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Precision, recall and F1 of the shown needs, and recall@3, over {"id","text","needs"} lines.
    Needs { file: PathBuf },
    /// nDCG@10 of search over judged queries ({"id","query","near","relevant"} lines),
    /// searching an HSDS file of services.
    Search { queries: PathBuf, services: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// p50 and p99 of the in-process search (needs matcher and index, first page) over an
    /// HSDS file of services, for queries given as {"query","near":{"lat","lon"}|null}
    /// lines.
    Search { services: PathBuf, queries: PathBuf },
    /// How long the agency map and the insight dashboards take to build over a county's
    /// data, generated into the database first if it holds fewer services (synthetic
    /// directory, referrals and searches that found nothing, bulk inserted).
    Insight {
        #[arg(long, default_value_t = 10_000)]
        services: usize,
        #[arg(long, default_value_t = 200_000)]
        referrals: usize,
        #[arg(long, default_value_t = 1_000_000)]
        searches: u64,
        /// Times each page is built.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// p50 and p99 of searching volunteer roles in process, beside a directory index of
    /// synthetic services (the process holds both), with words, distance and filters.
    Volunteering {
        #[arg(long, default_value_t = 100_000)]
        services: usize,
        #[arg(long, default_value_t = 20_000)]
        opportunities: usize,
    },
    /// The local fund: a round of applications scored and ranked for the panel page, and
    /// the 360Giving export of many awards, on a scratch database.
    Fund {
        #[arg(long, default_value_t = 500)]
        applications: usize,
        #[arg(long, default_value_t = 10_000)]
        awards: usize,
    },
    /// Median and slowest time to work out a week's free times for many community assets
    /// (weekly windows, exceptions and bookings generated the same way every run).
    Assets {
        #[arg(long, default_value_t = 1000)]
        assets: usize,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
}

pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KNIT_LOG")
        .unwrap_or_else(|_| "knit=info,warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let global = cli.global;
    match cli.command {
        Command::Serve {
            bind,
            site_name,
            site_area,
            retention_years,
            remind_after_days,
            escalate_after_days,
            coordinator_contact,
            insight_area,
        } => {
            if escalate_after_days <= remind_after_days {
                anyhow::bail!(
                    "--escalate-after-days ({escalate_after_days}) must be more than \
                     --remind-after-days ({remind_after_days})"
                );
            }
            commands::serve::serve(
                &global,
                &bind,
                knit_web::Site {
                    name: site_name,
                    area: site_area,
                    retention_years,
                    chase: knit_domain::referral::ChasePolicy {
                        remind_after_working_days: remind_after_days,
                        escalate_after_working_days: escalate_after_days,
                    },
                    coordinator_contact,
                    trusted_proxies: global.trusted_proxies.clone(),
                    insight_area,
                },
            )
            .await
        }
        Command::Demo { bind } => commands::serve::demo(&global, &bind).await,
        Command::Migrate => commands::data::migrate(&global).await,
        Command::Import(ImportCommand::Hsds { file, format }) => {
            commands::data::import_hsds(&global, &file, format).await
        }
        Command::Import(ImportCommand::Postcodes { file }) => {
            commands::postcodes::import(&global, &file).await
        }
        Command::Import(ImportCommand::Wards { centres, names }) => {
            commands::wards::import(&global, &centres, &names).await
        }
        Command::Export(ExportCommand::Hsds { file }) => {
            commands::data::export_hsds(&global, file.as_deref()).await
        }
        Command::Export(ExportCommand::ThreeSixtyGiving {
            out,
            prefix,
            funder_id,
            funder_name,
        }) => {
            commands::fund::export_360giving(
                &global,
                out.as_deref(),
                prefix,
                funder_id,
                funder_name,
            )
            .await
        }
        Command::Search {
            near,
            need,
            page,
            json,
            words,
        } => commands::search::run(&global, near, need, page, json, words.join(" ")).await,
        Command::Match { jsonl, text } => commands::matching::run(jsonl, &text.join(" ")),
        Command::Generate {
            services,
            seed,
            output,
        } => commands::data::generate(services, seed, output.as_deref()),
        Command::Eval(EvalCommand::Needs { file }) => commands::matching::evaluate(&file),
        Command::User(UserCommand::Add {
            email,
            role,
            name,
            organization,
            base_url,
        }) => commands::accounts::add(&global, &email, &role, name, organization, &base_url).await,
        Command::User(UserCommand::List) => commands::accounts::list(&global).await,
        Command::User(UserCommand::Suspend { email }) => {
            commands::accounts::suspend(&global, &email).await
        }
        Command::Audit(AuditCommand::Verify) => commands::accounts::verify_audit(&global).await,
        Command::Person(PersonCommand::Export { id, out }) => {
            commands::casework::export_person(&global, id, out.as_deref()).await
        }
        Command::Keys(KeysCommand::Rotate) => commands::casework::rotate_keys(&global).await,
        Command::Backup { file } => commands::backup::backup(&global, &file).await,
        Command::Restore { file, force } => commands::backup::restore(&global, &file, force).await,
        Command::Db(DbCommand::Copy { to }) => commands::backup::copy(&global, &to).await,
        Command::Bench(BenchCommand::Search { services, queries }) => {
            commands::bench::search(&services, &queries)
        }
        Command::Bench(BenchCommand::Insight {
            services,
            referrals,
            searches,
            runs,
        }) => commands::bench_insight::run(&global, services, referrals, searches, runs).await,
        Command::Bench(BenchCommand::Volunteering {
            services,
            opportunities,
        }) => commands::bench::volunteering(services, opportunities),
        Command::Bench(BenchCommand::Fund {
            applications,
            awards,
        }) => commands::fund::bench(applications, awards).await,
        Command::Bench(BenchCommand::Assets { assets, runs }) => {
            commands::bench_assets::assets(assets, runs)
        }
        Command::Eval(EvalCommand::Search { queries, services }) => {
            commands::matching::evaluate_search(&queries, &services)
        }
    }
}

fn parse_area_level(text: &str) -> Result<knit_domain::insight::AreaLevel, String> {
    knit_domain::insight::AreaLevel::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not an area: use district, sector, ward or authority")
    })
}
