//! Server-rendered charts: SVG drawn here, with a title and a description for screen
//! readers, always shown beside a data table holding the same figures. No JavaScript.

use std::fmt::Write;

use knit_domain::disclosure::Shown;

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart ready to place in a page: its SVG and the words that say what it shows.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub summary: String,
}

const WIDTH: u32 = 600;
const LABEL_WIDTH: u32 = 230;
const BAR_HEIGHT: u32 = 22;
const GAP: u32 = 6;

/// A horizontal bar chart of shown counts. Suppressed bars are drawn as a mark, not a bar.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, Shown)]) -> Chart {
    let max = bars
        .iter()
        .filter_map(|(_, s)| s.value())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = (bars.len() as u32).max(1) * (BAR_HEIGHT + GAP) + GAP;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(&describe(title, bars)),
    );
    let room = WIDTH - LABEL_WIDTH - 60;
    for (i, (label, shown)) in bars.iter().enumerate() {
        let y = GAP + i as u32 * (BAR_HEIGHT + GAP);
        let short: String = label.chars().take(34).collect();
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>",
            LABEL_WIDTH - 8,
            y + BAR_HEIGHT - 6,
            escape(&short)
        );
        let width = shown.value().map_or(0, |v| {
            ((v as f64 / max as f64) * f64::from(room)).round() as u32
        });
        if width > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{width}\" height=\"{BAR_HEIGHT}\" class=\"chart-bar\"/>"
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL_WIDTH + width + 6,
            y + BAR_HEIGHT - 6,
            shown
        );
    }
    svg.push_str("</svg>");
    Chart {
        summary: describe(title, bars),
        svg,
    }
}

/// A sentence for the chart's description: the largest bars first.
fn describe(title: &str, bars: &[(String, Shown)]) -> String {
    if bars.is_empty() {
        return crate::t1("chart-nothing", "title", title);
    }
    let mut sorted: Vec<&(String, Shown)> = bars.iter().collect();
    sorted.sort_by_key(|(_, s)| std::cmp::Reverse(s.value().unwrap_or(0)));
    let top: Vec<String> = sorted
        .iter()
        .take(3)
        .map(|(l, s)| format!("{l} {s}"))
        .collect();
    crate::kit::language::t_with(
        "chart-summary",
        &[
            ("title", title),
            ("count", &bars.len().to_string()),
            ("top", &top.join(", ")),
        ],
    )
}

/// The shade (0–4) of a heat-table cell, from its value against the table's largest.
pub fn heat(shown: Shown, max: u64) -> u8 {
    match shown.value() {
        None | Some(0) => 0,
        Some(v) if max == 0 => u8::from(v > 0),
        Some(v) => (1 + (v * 3) / max.max(1)).min(4) as u8,
    }
}
