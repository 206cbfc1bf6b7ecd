use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = knit::cli::Cli::parse();
    knit::cli::init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("knit: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(knit::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line a person can act on; the chain of causes joined with ": ".
            let reason: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("knit: {}", reason.join(": "));
            ExitCode::FAILURE
        }
    }
}
