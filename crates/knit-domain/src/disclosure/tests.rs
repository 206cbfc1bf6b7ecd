use proptest::prelude::*;

use super::*;

#[test]
fn single_counts_follow_the_rule() {
    let c = Disclosure::Controlled;
    assert_eq!(c.count(0), Shown::Rounded(0));
    for n in 1..=7 {
        assert_eq!(c.count(n), Shown::Suppressed, "{n}");
    }
    assert_eq!(c.count(8), Shown::Rounded(10));
    assert_eq!(c.count(12), Shown::Rounded(10));
    assert_eq!(c.count(13), Shown::Rounded(15));
    assert_eq!(c.count(1_002), Shown::Rounded(1_000));
    assert_eq!(Disclosure::Exact.count(3), Shown::Exact(3));
    assert_eq!(c.count(3).to_string(), "[c]");
    assert_eq!(c.count(0).to_string(), "0");
}

#[test]
fn a_row_with_one_small_cell_hides_another() {
    let table = Disclosure::Controlled.table(&[vec![3, 20, 40], vec![30, 25, 50]]);
    // 3 is small; the row total (63) is shown, so the next smallest in its row (20) goes
    // too, and then each of their columns needs a second hidden cell: 30 and 25.
    assert_eq!(table.cells[0][0], Shown::Suppressed);
    assert_eq!(table.cells[0][1], Shown::Suppressed);
    assert_eq!(table.cells[1][0], Shown::Suppressed);
    assert_eq!(table.cells[1][1], Shown::Suppressed);
    assert_eq!(table.cells[0][2], Shown::Rounded(40));
    assert_eq!(table.row_totals[0], Shown::Rounded(65));
    assert_eq!(table.total, Shown::Rounded(170));
}

#[test]
fn a_table_without_small_cells_is_only_rounded() {
    let table = Disclosure::Controlled.table(&[vec![10, 0], vec![12, 33]]);
    assert_eq!(
        table.cells,
        vec![
            vec![Shown::Rounded(10), Shown::Rounded(0)],
            vec![Shown::Rounded(10), Shown::Rounded(35)]
        ]
    );
    assert_eq!(
        table.row_totals,
        vec![Shown::Rounded(10), Shown::Rounded(45)]
    );
    assert_eq!(
        table.column_totals,
        vec![Shown::Rounded(20), Shown::Rounded(35)]
    );
}

#[test]
fn a_small_total_is_hidden_with_its_cells() {
    let table = Disclosure::Controlled.table(&[vec![2, 3], vec![40, 50]]);
    assert_eq!(table.row_totals[0], Shown::Suppressed);
    assert!(table.cells[0].iter().all(|c| c.is_suppressed()));
}

#[test]
fn lists_hide_a_second_bar_when_one_is_small() {
    let (bars, total) = Disclosure::Controlled.list(&[50, 4, 30, 20]);
    assert_eq!(bars[1], Shown::Suppressed);
    assert_eq!(bars.iter().filter(|b| b.is_suppressed()).count(), 2);
    // The smallest other bar goes.
    assert_eq!(bars[3], Shown::Suppressed);
    assert_eq!(total, Shown::Rounded(105));
}

#[test]
fn shares_need_a_base_and_no_small_part() {
    let c = Disclosure::Controlled;
    assert_eq!(c.share(5, 9), None);
    assert_eq!(c.share(3, 40), None);
    assert_eq!(c.share(37, 40), None);
    assert_eq!(c.share(20, 40), Some(50));
    assert_eq!(c.share(0, 40), Some(0));
    assert_eq!(c.share(40, 40), Some(100));
    assert_eq!(Disclosure::Exact.share(1, 3), Some(33));
    assert!(!c.statistic_allowed(9));
    assert!(c.statistic_allowed(10));
}

/// The equations a reader has: each line of the table (with its total as the last entry)
/// sums to zero, `cells - total = 0`. Returns, for each hidden entry of the augmented
/// table, whether it is determined by these equations given every shown entry exactly
/// (a stronger reader than the real one, who only sees rounded figures).
#[allow(clippy::needless_range_loop)]
fn recoverable(table: &[Vec<u64>], shown: &ShownTable) -> Vec<(usize, usize)> {
    let rows = table.len();
    let width = table.first().map_or(0, Vec::len);
    // The augmented grid of hidden flags.
    let mut hidden = vec![vec![false; width + 1]; rows + 1];
    for i in 0..rows {
        for j in 0..width {
            hidden[i][j] = shown.cells[i][j].is_suppressed();
        }
        hidden[i][width] = shown.row_totals[i].is_suppressed();
    }
    for j in 0..width {
        hidden[rows][j] = shown.column_totals[j].is_suppressed();
    }
    hidden[rows][width] = shown.total.is_suppressed();
    let unknowns: Vec<(usize, usize)> = (0..=rows)
        .flat_map(|i| (0..=width).map(move |j| (i, j)))
        .filter(|&(i, j)| hidden[i][j])
        .collect();
    let index = |i: usize, j: usize| unknowns.iter().position(|u| *u == (i, j));
    // One equation per line, over the unknowns only (the known part moves to the right).
    let mut equations: Vec<Vec<f64>> = Vec::new();
    for i in 0..=rows {
        let mut eq = vec![0.0; unknowns.len()];
        for j in 0..=width {
            if let Some(k) = index(i, j) {
                eq[k] = if j == width { -1.0 } else { 1.0 };
            }
        }
        equations.push(eq);
    }
    for j in 0..=width {
        let mut eq = vec![0.0; unknowns.len()];
        for i in 0..=rows {
            if let Some(k) = index(i, j) {
                eq[k] = if i == rows { -1.0 } else { 1.0 };
            }
        }
        equations.push(eq);
    }
    let base = rank(equations.clone());
    unknowns
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let mut with = equations.clone();
            let mut unit = vec![0.0; unknowns.len()];
            unit[*k] = 1.0;
            with.push(unit);
            rank(with) == base
        })
        .map(|(_, u)| *u)
        .collect()
}

fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for c in 0..cols {
        let Some(p) = (rank..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
        else {
            break;
        };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(rank, p);
        let pivot = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != rank && row[c].abs() > 1e-12 {
                let f = row[c] / pivot[c];
                for (x, y) in row.iter_mut().zip(&pivot) {
                    *x -= f * y;
                }
            }
        }
        rank += 1;
    }
    rank
}

fn tables() -> impl Strategy<Value = Vec<Vec<u64>>> {
    (1usize..6, 1usize..6).prop_flat_map(|(r, c)| {
        proptest::collection::vec(
            proptest::collection::vec(prop_oneof![Just(0u64), 1u64..=7, 8u64..40, 40u64..500], c),
            r,
        )
    })
}

#[test]
fn the_checker_finds_a_lonely_hidden_cell() {
    // Primary suppression alone would leave 3 recoverable from its row total.
    let table = vec![vec![3, 20], vec![30, 25]];
    let naive = ShownTable {
        cells: vec![
            vec![Shown::Suppressed, Shown::Rounded(20)],
            vec![Shown::Rounded(30), Shown::Rounded(25)],
        ],
        row_totals: vec![Shown::Rounded(25), Shown::Rounded(55)],
        column_totals: vec![Shown::Rounded(35), Shown::Rounded(45)],
        total: Shown::Rounded(80),
    };
    assert_eq!(recoverable(&table, &naive), vec![(0, 0)]);
}

proptest! {
    #[test]
    fn no_hidden_value_can_be_worked_out_from_the_totals(table in tables()) {
        let shown = Disclosure::Controlled.table(&table);
        prop_assert!(recoverable(&table, &shown).is_empty(), "{shown:?}");
    }

    #[test]
    fn every_small_cell_and_total_is_hidden_and_the_rest_rounded(table in tables()) {
        let shown = Disclosure::Controlled.table(&table);
        for (i, row) in table.iter().enumerate() {
            for (j, n) in row.iter().enumerate() {
                let s = shown.cells[i][j];
                if is_small(*n) {
                    prop_assert_eq!(s, Shown::Suppressed);
                } else if let Some(v) = s.value() {
                    prop_assert_eq!(v % ROUND_TO, 0);
                    prop_assert!(v.abs_diff(*n) <= ROUND_TO / 2);
                }
            }
            let total: u64 = row.iter().sum();
            if is_small(total) {
                prop_assert_eq!(shown.row_totals[i], Shown::Suppressed);
            }
        }
        for j in 0..table[0].len() {
            let total: u64 = table.iter().map(|r| r[j]).sum();
            if is_small(total) {
                prop_assert_eq!(shown.column_totals[j], Shown::Suppressed);
            }
        }
    }

    #[test]
    fn exact_figures_are_exact(table in tables()) {
        let shown = Disclosure::Exact.table(&table);
        for (i, row) in table.iter().enumerate() {
            for (j, n) in row.iter().enumerate() {
                prop_assert_eq!(shown.cells[i][j], Shown::Exact(*n));
            }
        }
    }

    #[test]
    fn a_count_is_never_shown_between_1_and_7(n in 0u64..10_000) {
        match Disclosure::Controlled.count(n) {
            Shown::Suppressed => prop_assert!(is_small(n)),
            Shown::Rounded(v) => prop_assert!(v == 0 || v >= 10),
            Shown::Exact(_) => prop_assert!(false),
        }
    }
}
