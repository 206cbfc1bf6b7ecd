use proptest::prelude::*;

use super::*;

/// Seven answers totalling `raw` (7–35), spread as evenly as the scale allows.
fn swemwbs_with_total(raw: u8) -> SwemwbsAnswers {
    let mut answers = [1u8; 7];
    let mut left = raw - 7;
    for answer in answers.iter_mut() {
        let add = left.min(4);
        *answer += add;
        left -= add;
    }
    SwemwbsAnswers::new(answers).unwrap()
}

#[test]
fn every_raw_total_converts_to_the_published_metric_score() {
    let published = [
        (7, "7.00"),
        (8, "9.51"),
        (9, "11.25"),
        (10, "12.40"),
        (11, "13.33"),
        (12, "14.08"),
        (13, "14.75"),
        (14, "15.32"),
        (15, "15.84"),
        (16, "16.36"),
        (17, "16.88"),
        (18, "17.43"),
        (19, "17.98"),
        (20, "18.59"),
        (21, "19.25"),
        (22, "19.98"),
        (23, "20.73"),
        (24, "21.54"),
        (25, "22.35"),
        (26, "23.21"),
        (27, "24.11"),
        (28, "25.03"),
        (29, "26.02"),
        (30, "27.03"),
        (31, "28.13"),
        (32, "29.31"),
        (33, "30.70"),
        (34, "32.55"),
        (35, "35.00"),
    ];
    for (raw, metric) in published {
        let answers = swemwbs_with_total(raw);
        assert_eq!(answers.raw_total(), raw);
        assert_eq!(answers.score().to_string(), metric, "raw total {raw}");
        assert_eq!(
            SwemwbsScore::from_raw_total(raw).unwrap().to_string(),
            metric
        );
    }
}

#[test]
fn raw_totals_seven_answers_cannot_make_have_no_score() {
    assert_eq!(SwemwbsScore::from_raw_total(0), None);
    assert_eq!(SwemwbsScore::from_raw_total(6), None);
    assert_eq!(SwemwbsScore::from_raw_total(36), None);
    assert_eq!(SwemwbsScore::from_raw_total(255), None);
}

#[test]
fn swemwbs_answers_are_one_to_five() {
    assert!(SwemwbsAnswers::new([1; 7]).is_ok());
    assert!(SwemwbsAnswers::new([5; 7]).is_ok());
    assert_eq!(
        SwemwbsAnswers::new([3, 3, 0, 3, 3, 3, 3]),
        Err(WellbeingError::Answer {
            question: SWEMWBS_RELAXED,
            min: 1,
            max: 5
        })
    );
    assert_eq!(
        SwemwbsAnswers::new([3, 3, 3, 3, 3, 3, 6])
            .unwrap_err()
            .to_string(),
        "Answer 'I've been able to make up my own mind about things' with a number from 1 to 5"
    );
    assert_eq!(
        SwemwbsAnswers::new([1; 7]).unwrap().score().to_string(),
        "7.00"
    );
    assert_eq!(
        SwemwbsAnswers::new([5; 7]).unwrap().score().to_string(),
        "35.00"
    );
}

#[test]
fn swemwbs_wording_is_the_published_wording_in_order() {
    let texts = SwemwbsItem::ALL.map(SwemwbsItem::text);
    assert_eq!(
        texts,
        [
            "I've been feeling optimistic about the future",
            "I've been feeling useful",
            "I've been feeling relaxed",
            "I've been dealing with problems well",
            "I've been thinking clearly",
            "I've been feeling close to other people",
            "I've been able to make up my own mind about things",
        ]
    );
    assert_eq!(SWEMWBS_RESPONSES[0], "None of the time");
    assert_eq!(SWEMWBS_RESPONSES[4], "All of the time");
}

#[test]
fn ons4_answers_are_zero_to_ten() {
    assert!(Ons4Answers::new([0, 0, 0, 0]).is_ok());
    assert!(Ons4Answers::new([10, 10, 10, 10]).is_ok());
    assert_eq!(
        Ons4Answers::new([5, 11, 5, 5]),
        Err(WellbeingError::Answer {
            question: ONS4_WORTHWHILE,
            min: 0,
            max: 10
        })
    );
    let answers = Ons4Answers::new([7, 8, 6, 3]).unwrap();
    assert_eq!(answers.answer(Ons4Question::LifeSatisfaction), 7);
    assert_eq!(answers.answer(Ons4Question::Anxiety), 3);
    assert_eq!(answers.as_array(), [7, 8, 6, 3]);
}

#[test]
fn form_answers_are_read_with_spaces_and_refused_naming_the_question() {
    let answers = Ons4Answers::parse(["7", " 10 ", "0", "4\n"]).unwrap();
    assert_eq!(answers.as_array(), [7, 10, 0, 4]);

    for bad in ["11", "", "  ", "-1", "+4", "four", "4.5", "300"] {
        let err = Ons4Answers::parse(["7", "7", "7", bad]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Answer 'Overall, how anxious did you feel yesterday?' with a number from 0 to 10",
            "{bad:?}"
        );
    }
    // The first bad answer is the one named.
    let err = Ons4Answers::parse(["x", "7", "7", "x"]).unwrap_err();
    assert!(err.to_string().contains(ONS4_LIFE_SATISFACTION));

    let answers = SwemwbsAnswers::parse(["1", "2", " 3", "4 ", "5", "3", "3"]).unwrap();
    assert_eq!(answers.as_array(), [1, 2, 3, 4, 5, 3, 3]);
    let err = SwemwbsAnswers::parse(["1", "2", "3", "4", "5", "0", "3"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Answer 'I've been feeling close to other people' with a number from 1 to 5"
    );
}

#[test]
fn ons4_bands_follow_the_ons_thresholds() {
    use Ons4Band::*;
    let expected_positive = [
        Low, Low, Low, Low, Low, Medium, Medium, High, High, VeryHigh, VeryHigh,
    ];
    let expected_anxiety = [
        VeryLow, VeryLow, Low, Low, Medium, Medium, High, High, High, High, High,
    ];
    for answer in 0..=10u8 {
        for question in [
            Ons4Question::LifeSatisfaction,
            Ons4Question::Worthwhile,
            Ons4Question::Happiness,
        ] {
            assert_eq!(
                question.band(answer),
                expected_positive[usize::from(answer)],
                "{question:?} {answer}"
            );
        }
        assert_eq!(
            Ons4Question::Anxiety.band(answer),
            expected_anxiety[usize::from(answer)],
            "anxiety {answer}"
        );
    }
    let answers = Ons4Answers::new([9, 5, 4, 1]).unwrap();
    assert_eq!(
        answers.band(Ons4Question::LifeSatisfaction).label(),
        "very high"
    );
    assert_eq!(answers.band(Ons4Question::Anxiety).label(), "very low");
}

#[test]
fn less_anxiety_is_an_improvement() {
    let start = Ons4Answers::new([4, 5, 3, 8]).unwrap();
    let end = Ons4Answers::new([7, 5, 2, 3]).unwrap();
    let change = start.change_to(&end);

    let anxiety = change.item(Ons4Question::Anxiety);
    assert_eq!(anxiety.difference(), -5);
    assert_eq!(anxiety.direction(), Direction::Improved);

    let satisfaction = change.item(Ons4Question::LifeSatisfaction);
    assert_eq!(satisfaction.difference(), 3);
    assert_eq!(satisfaction.direction(), Direction::Improved);

    assert_eq!(
        change.item(Ons4Question::Worthwhile).direction(),
        Direction::Unchanged
    );
    assert_eq!(
        change.item(Ons4Question::Happiness).direction(),
        Direction::Worse
    );

    // And the other way round: more anxiety is worse.
    let back = end.change_to(&start);
    assert_eq!(
        back.item(Ons4Question::Anxiety).direction(),
        Direction::Worse
    );
}

#[test]
fn ons4_change_reads_as_plain_english() {
    let start = Ons4Answers::new([4, 5, 3, 8]).unwrap();
    let end = Ons4Answers::new([7, 5, 2, 3]).unwrap();
    assert_eq!(
        start.change_to(&end).summary(),
        "Life satisfaction rose from 4 to 7 (+3), an improvement; \
         Feeling things are worthwhile stayed at 5; \
         Happiness fell from 3 to 2 (-1), a change for the worse; \
         Anxiety fell from 8 to 3 (-5), an improvement"
    );
    let anxiety_up = Ons4Answers::new([4, 5, 3, 2])
        .unwrap()
        .change_to(&Ons4Answers::new([4, 5, 3, 6]).unwrap());
    assert_eq!(
        anxiety_up.item(Ons4Question::Anxiety).summary(),
        "Anxiety rose from 2 to 6 (+4), a change for the worse"
    );
}

#[test]
fn swemwbs_change_says_whether_it_is_meaningful() {
    let start = swemwbs_with_total(22); // 19.98
    let end = swemwbs_with_total(26); // 23.21
    let change = start.change_to(&end);
    assert_eq!(change.difference_hundredths(), 323);
    assert_eq!(change.direction(), Direction::Improved);
    assert!(change.is_meaningful());
    assert_eq!(
        change.summary(),
        "Wellbeing score rose from 19.98 to 23.21 (+3.23), a meaningful improvement"
    );

    let back = end.change_to(&start);
    assert_eq!(back.direction(), Direction::Worse);
    assert_eq!(
        back.summary(),
        "Wellbeing score fell from 23.21 to 19.98 (-3.23), a meaningful decline"
    );

    let small = start.change_to(&swemwbs_with_total(23));
    assert!(!small.is_meaningful());
    assert_eq!(small.direction(), Direction::Improved);
    assert_eq!(
        small.summary(),
        "Wellbeing score rose from 19.98 to 20.73 (+0.75), too small a change to be sure it is more than chance"
    );

    let same = start.change_to(&start);
    assert_eq!(same.direction(), Direction::Unchanged);
    assert_eq!(same.summary(), "Wellbeing score stayed at 19.98");
}

#[test]
fn a_meaningful_change_is_three_points_or_more() {
    assert_eq!(SWEMWBS_MEANINGFUL_CHANGE_HUNDREDTHS, 300);
    // Raw 32 -> 34 is 29.31 -> 32.55; raw 31 -> 33 is 28.13 -> 30.70.
    let change = swemwbs_with_total(32).change_to(&swemwbs_with_total(34));
    assert_eq!(change.difference_hundredths(), 324);
    assert!(change.is_meaningful());
    let just_under = swemwbs_with_total(31).change_to(&swemwbs_with_total(33));
    assert_eq!(just_under.difference_hundredths(), 257);
    assert!(!just_under.is_meaningful());
}

#[test]
fn swemwbs_item_differences_are_per_statement() {
    let before = SwemwbsAnswers::new([1, 2, 3, 4, 5, 3, 3]).unwrap();
    let after = SwemwbsAnswers::new([2, 2, 4, 3, 5, 5, 1]).unwrap();
    assert_eq!(
        before.change_to(&after).item_differences(),
        [1, 0, 1, -1, 0, 2, -2]
    );
}

#[test]
fn measures_of_different_kinds_cannot_be_compared() {
    let ons4 = Measure::Ons4(Ons4Answers::new([5, 5, 5, 5]).unwrap());
    let swemwbs = Measure::Swemwbs(swemwbs_with_total(20));
    let err = ons4.change_to(&swemwbs).unwrap_err();
    assert_eq!(
        err,
        WellbeingError::DifferentMeasures {
            earlier: "ONS4",
            later: "SWEMWBS"
        }
    );
    assert_eq!(
        Measure::Swemwbs(swemwbs_with_total(22))
            .change_to(&Measure::Swemwbs(swemwbs_with_total(26)))
            .unwrap()
            .summary(),
        "Wellbeing score rose from 19.98 to 23.21 (+3.23), a meaningful improvement"
    );
    assert!(matches!(ons4.change_to(&ons4), Ok(Change::Ons4(_))));
    assert_eq!(ons4.kind().code(), "ons4");
    assert_eq!(swemwbs.kind().code(), "swemwbs");
}

#[test]
fn measures_keep_as_json_and_refuse_bad_json() {
    let ons4 = Measure::Ons4(Ons4Answers::new([7, 8, 6, 3]).unwrap());
    let json = serde_json::to_string(&ons4).unwrap();
    assert_eq!(
        json,
        r#"{"measure":"ons4","answers":{"life_satisfaction":7,"worthwhile":8,"happiness":6,"anxiety":3}}"#
    );
    assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), ons4);

    let swemwbs = Measure::Swemwbs(SwemwbsAnswers::new([1, 2, 3, 4, 5, 3, 3]).unwrap());
    let json = serde_json::to_string(&swemwbs).unwrap();
    assert_eq!(json, r#"{"measure":"swemwbs","answers":[1,2,3,4,5,3,3]}"#);
    assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), swemwbs);

    for bad in [
        r#"{"measure":"ons4","answers":{"life_satisfaction":11,"worthwhile":8,"happiness":6,"anxiety":3}}"#,
        r#"{"measure":"ons4","answers":{"life_satisfaction":7,"worthwhile":8,"happiness":6}}"#,
        r#"{"measure":"swemwbs","answers":[1,2,3,4,5,3,0]}"#,
        r#"{"measure":"swemwbs","answers":[1,2,3,4,5,3]}"#,
        r#"{"measure":"phq9","answers":[1]}"#,
    ] {
        assert!(serde_json::from_str::<Measure>(bad).is_err(), "{bad}");
    }
    let err = serde_json::from_str::<Measure>(r#"{"measure":"swemwbs","answers":[1,2,3,4,5,3,9]}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("with a number from 1 to 5"),
        "{err}"
    );
}

#[test]
fn stages_have_stable_codes() {
    for stage in Stage::ALL {
        assert_eq!(Stage::from_code(stage.code()), Ok(stage));
        assert_eq!(
            serde_json::to_string(&stage).unwrap(),
            format!("\"{}\"", stage.code())
        );
    }
    assert_eq!(Stage::Start.code(), "start");
    assert_eq!(Stage::Review.code(), "review");
    assert_eq!(Stage::End.code(), "end");
    assert_eq!(
        Stage::from_code("middle").unwrap_err().to_string(),
        "there is no stage called 'middle'; it is start, review or end"
    );
    assert!(Stage::from_code("Start").is_err());
}

fn any_swemwbs() -> impl Strategy<Value = SwemwbsAnswers> {
    prop::array::uniform7(1u8..=5).prop_map(|answers| SwemwbsAnswers::new(answers).unwrap())
}

proptest! {
    #[test]
    fn the_metric_score_rises_with_the_raw_total(a in any_swemwbs(), b in any_swemwbs()) {
        prop_assert_eq!(
            a.raw_total().cmp(&b.raw_total()),
            a.score().cmp(&b.score())
        );
    }

    #[test]
    fn answering_one_statement_higher_never_lowers_the_score(
        a in any_swemwbs(),
        item in 0usize..7,
    ) {
        let mut raised = a.as_array();
        prop_assume!(raised[item] < SWEMWBS_MAX);
        raised[item] += 1;
        let raised = SwemwbsAnswers::new(raised).unwrap();
        prop_assert!(raised.score() > a.score());
        prop_assert_eq!(a.change_to(&raised).direction(), Direction::Improved);
    }

    #[test]
    fn ons4_answers_in_range_are_accepted_and_others_refused(answers in prop::array::uniform4(0u8..=20)) {
        prop_assert_eq!(
            Ons4Answers::new(answers).is_ok(),
            answers.iter().all(|&a| a <= ONS4_MAX)
        );
    }
}
