//! Disclosure control, stated once: every count Knit publishes goes through [`Disclosure`].
//!
//! - 0 is shown as 0;
//! - 1 to 7 ([`SUPPRESS_AT_MOST`]) are shown as a suppressed mark, `[c]`;
//! - everything else is rounded to the nearest 5 ([`ROUND_TO`]), halves up.
//!
//! A table with row and column totals is protected as a whole ([`Disclosure::table`]):
//! totals are rounded from the exact totals and suppressed when small, and further cells
//! are suppressed (secondary suppression) until no suppressed cell or total can be worked
//! out from the totals that are shown. Seen as a grid with the totals as its last row and
//! column, the line sums are equations; a hidden entry can be recovered exactly when it is
//! a *bridge* of the graph whose nodes are the lines and whose edges are the hidden
//! entries (each entry joins its row and its column). So the rule is: while a line has one
//! hidden entry, hide its smallest other entry; while a hidden entry is a bridge, hide the
//! three entries that close the cheapest rectangle through it; repeat until stable.
//!
//! Shares and statistics (a median, a percentage) are shown only when their base is at
//! least [`MIN_BASE`] and they do not reveal a small count ([`Disclosure::share`]).
//!
//! Staff whose role allows it (`Action::ViewExactFigures`) may see exact figures: the
//! page asks the policy and picks [`Disclosure::Exact`]; everything else is
//! [`Disclosure::Controlled`].

use std::fmt;

/// Counts from 1 to this are never published.
pub const SUPPRESS_AT_MOST: u64 = 7;
/// Published counts are rounded to a multiple of this.
pub const ROUND_TO: u64 = 5;
/// A share, median or percentile is published only when based on at least this many.
pub const MIN_BASE: u64 = 10;
/// The mark shown in place of a suppressed count.
pub const SUPPRESSED_MARK: &str = "[c]";
/// What the mark means, for a key beside every table.
pub const SUPPRESSED_MEANING: &str = "[c]: a small number, hidden so that nobody can be identified. Other figures are rounded to the nearest 5.";

/// How a count is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shown {
    /// As it is: only for staff whose role allows exact figures.
    Exact(u64),
    /// Rounded to the nearest [`ROUND_TO`] (0 stays 0).
    Rounded(u64),
    /// Hidden: a small count, or one that would let a small count be worked out.
    Suppressed,
}

impl Shown {
    pub fn is_suppressed(self) -> bool {
        self == Shown::Suppressed
    }

    /// The number shown, if any: what a chart draws.
    pub fn value(self) -> Option<u64> {
        match self {
            Shown::Exact(n) | Shown::Rounded(n) => Some(n),
            Shown::Suppressed => None,
        }
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Exact(n) | Shown::Rounded(n) => write!(f, "{n}"),
            Shown::Suppressed => f.write_str(SUPPRESSED_MARK),
        }
    }
}

/// Rounds to the nearest multiple of [`ROUND_TO`], halves up.
pub fn round(count: u64) -> u64 {
    (count.saturating_add(ROUND_TO / 2) / ROUND_TO) * ROUND_TO
}

/// Whether a count is small enough to be suppressed on its own.
pub fn is_small(count: u64) -> bool {
    (1..=SUPPRESS_AT_MOST).contains(&count)
}

/// How figures are published to a viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// Small counts suppressed, others rounded: the public, and staff without the right.
    Controlled,
    /// Exact figures, for staff whose role allows them.
    Exact,
}

/// A table as published: cells, row totals, column totals and the grand total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownTable {
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub column_totals: Vec<Shown>,
    pub total: Shown,
}

impl Disclosure {
    /// One count on its own (no totals to protect).
    pub fn count(self, count: u64) -> Shown {
        match self {
            Disclosure::Exact => Shown::Exact(count),
            Disclosure::Controlled if is_small(count) => Shown::Suppressed,
            Disclosure::Controlled => Shown::Rounded(round(count)),
        }
    }

    /// A list of counts published beside their total (a bar chart with a total): the same
    /// as a table of one column.
    pub fn list(self, counts: &[u64]) -> (Vec<Shown>, Shown) {
        let rows: Vec<Vec<u64>> = counts.iter().map(|c| vec![*c]).collect();
        let table = self.table(&rows);
        let cells = table.cells.into_iter().map(|r| r[0]).collect();
        (cells, table.total)
    }

    /// `part` out of `base` as a whole percentage, when it may be published: the base is at
    /// least [`MIN_BASE`] and neither the part nor the rest is a small count.
    pub fn share(self, part: u64, base: u64) -> Option<u64> {
        if base == 0 || part > base {
            return None;
        }
        if self == Disclosure::Controlled
            && (base < MIN_BASE || is_small(part) || is_small(base - part))
        {
            return None;
        }
        Some((part * 100 + base / 2) / base)
    }

    /// Whether a statistic (a median, a percentile, an average) over `n` values may be
    /// published.
    pub fn statistic_allowed(self, n: u64) -> bool {
        self == Disclosure::Exact || n >= MIN_BASE
    }

    /// A table with its row and column totals, protected as described in the module
    /// documentation. Rows may be of different lengths; missing cells count as 0.
    pub fn table(self, rows: &[Vec<u64>]) -> ShownTable {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let grid: Vec<Vec<u64>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.resize(width, 0);
                r
            })
            .collect();
        let augmented = augment(&grid, width);
        let hidden = match self {
            Disclosure::Exact => vec![vec![false; width + 1]; grid.len() + 1],
            Disclosure::Controlled => protect(&augmented),
        };
        let show = |i: usize, j: usize| -> Shown {
            let n = augmented[i][j];
            match self {
                Disclosure::Exact => Shown::Exact(n),
                Disclosure::Controlled if hidden[i][j] => Shown::Suppressed,
                Disclosure::Controlled => Shown::Rounded(round(n)),
            }
        };
        let r = grid.len();
        ShownTable {
            cells: (0..r)
                .map(|i| (0..width).map(|j| show(i, j)).collect())
                .collect(),
            row_totals: (0..r).map(|i| show(i, width)).collect(),
            column_totals: (0..width).map(|j| show(r, j)).collect(),
            total: show(r, width),
        }
    }
}

/// The grid with its row totals as a last column and column totals as a last row.
fn augment(grid: &[Vec<u64>], width: usize) -> Vec<Vec<u64>> {
    let mut out: Vec<Vec<u64>> = grid
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row.push(row.iter().sum());
            row
        })
        .collect();
    let totals: Vec<u64> = (0..=width)
        .map(|j| out.iter().map(|r| r[j]).sum())
        .collect();
    out.push(totals);
    out
}

/// Which entries of an augmented table to hide: the small ones, then enough others that
/// none can be worked out from the lines' sums.
fn protect(table: &[Vec<u64>]) -> Vec<Vec<bool>> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let mut hidden: Vec<Vec<bool>> = table
        .iter()
        .map(|r| r.iter().map(|n| is_small(*n)).collect())
        .collect();
    // Each pass hides at least one more entry, so this ends.
    loop {
        if hide_lonely(table, &mut hidden) {
            continue;
        }
        match bridge(&hidden, rows, cols) {
            None => return hidden,
            Some((i, j)) => {
                let before = hidden.clone();
                close_rectangle(table, &mut hidden, i, j);
                if hidden == before {
                    // Nothing left to hide that would help: hide the lot.
                    return vec![vec![true; cols]; rows];
                }
            }
        }
    }
}

/// The cheapest visible entry to hide among `candidates`: non-zero entries first (a hidden
/// zero gives little cover), then the smallest.
fn cheapest(
    table: &[Vec<u64>],
    candidates: impl Iterator<Item = (usize, usize)>,
) -> Option<(usize, usize)> {
    candidates.min_by_key(|&(i, j)| (table[i][j] == 0, table[i][j], i, j))
}

/// Hides one more entry in every line (row or column) with exactly one hidden entry.
/// Returns whether it hid anything.
fn hide_lonely(table: &[Vec<u64>], hidden: &mut [Vec<bool>]) -> bool {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let mut changed = false;
    for i in 0..rows {
        if hidden[i].iter().filter(|h| **h).count() == 1 {
            let pick = cheapest(table, (0..cols).filter(|&j| !hidden[i][j]).map(|j| (i, j)));
            if let Some((i, j)) = pick {
                hidden[i][j] = true;
                changed = true;
            }
        }
    }
    for j in 0..cols {
        if (0..rows).filter(|&i| hidden[i][j]).count() == 1 {
            let pick = cheapest(table, (0..rows).filter(|&i| !hidden[i][j]).map(|i| (i, j)));
            if let Some((i, j)) = pick {
                hidden[i][j] = true;
                changed = true;
            }
        }
    }
    changed
}

/// A hidden entry that is a bridge: removing it disconnects its row from its column in the
/// graph of hidden entries, so the line sums pin it down. Tarjan's bridge-finding, in one
/// walk of the graph (nodes are rows `0..rows` and columns `rows..rows + cols`).
fn bridge(hidden: &[Vec<bool>], rows: usize, cols: usize) -> Option<(usize, usize)> {
    let mut edges: Vec<(usize, usize)> = Vec::new();
    let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rows + cols];
    for (i, row) in hidden.iter().enumerate() {
        for (j, h) in row.iter().enumerate() {
            if *h {
                let e = edges.len();
                edges.push((i, j));
                adjacent[i].push((rows + j, e));
                adjacent[rows + j].push((i, e));
            }
        }
    }
    let nodes = rows + cols;
    let mut order = vec![usize::MAX; nodes];
    let mut low = vec![0; nodes];
    let mut counter = 0;
    for root in 0..nodes {
        if order[root] != usize::MAX || adjacent[root].is_empty() {
            continue;
        }
        // (node, the edge it was reached by, the next neighbour to look at)
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        while let Some(&(node, via, next)) = stack.last() {
            if let Some(&(to, e)) = adjacent[node].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.2 += 1;
                }
                if e == via {
                    continue;
                }
                if order[to] == usize::MAX {
                    order[to] = counter;
                    low[to] = counter;
                    counter += 1;
                    stack.push((to, e, 0));
                } else {
                    low[node] = low[node].min(order[to]);
                }
            } else {
                stack.pop();
                if let Some(&(parent, _, _)) = stack.last() {
                    low[parent] = low[parent].min(low[node]);
                    if low[node] > order[parent] {
                        return Some(edges[via]);
                    }
                }
            }
        }
    }
    None
}

/// Hides the entries `(i, k)`, `(l, j)` and `(l, k)` that close the cheapest rectangle
/// through the bridge `(i, j)`, which puts it on a cycle.
fn close_rectangle(table: &[Vec<u64>], hidden: &mut [Vec<bool>], i: usize, j: usize) {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    let cost = |r: usize, c: usize| -> (u64, u64) {
        if hidden[r][c] {
            (0, 0)
        } else {
            (u64::from(table[r][c] == 0), table[r][c] + 1)
        }
    };
    let mut best: Option<((u64, u64), usize, usize)> = None;
    for l in (0..rows).filter(|&l| l != i) {
        for k in (0..cols).filter(|&k| k != j) {
            let parts = [cost(i, k), cost(l, j), cost(l, k)];
            let total = parts
                .iter()
                .fold((0, 0), |(z, s), (pz, ps)| (z + pz, s + ps));
            if best.is_none_or(|(b, _, _)| total < b) {
                best = Some((total, l, k));
            }
        }
    }
    if let Some((_, l, k)) = best {
        hidden[i][k] = true;
        hidden[l][j] = true;
        hidden[l][k] = true;
    } else {
        // A table of one row or one column plus its totals: every entry shares a line with
        // the bridge, so hiding the line's other entries leaves nothing to work from.
        for (r, row) in hidden.iter_mut().enumerate() {
            for (c, h) in row.iter_mut().enumerate() {
                if r == i || c == j {
                    *h = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
