use super::*;
use chrono::TimeDelta;

fn round(now: DateTime<Utc>) -> RoundPlan {
    RoundPlan {
        title: "Small grants, spring".to_owned(),
        description: String::new(),
        min: Pence::pounds(100),
        max: Pence::pounds(5_000),
        fast_route_below: Some(Pence::pounds(1_000)),
        closes_at: now + TimeDelta::days(10),
        criteria: parse_criteria("Need in the area | 3\nReach | 2\nValue for money").unwrap(),
        open_to_individuals: false,
        open_to_unconstituted: true,
    }
}

fn kelly(amount: u64) -> Draft {
    let form = ApplicationForm {
        kind: "unconstituted_group".into(),
        amount: amount.to_string(),
        name: "Kelly Marsh".into(),
        email: "kelly@example.org".into(),
        group_name: "Northfield Thursday Social".into(),
        what_for: "Hall hire and tea for a weekly social evening.".into(),
        who_benefits: "About 20 people who live alone.".into(),
        spending: "Hall £300, tea £100".into(),
        ..ApplicationForm::default()
    };
    form.draft().unwrap()
}

fn member(n: u128) -> UserId {
    UserId(Uuid::from_u128(n))
}

#[test]
fn amounts_are_read_as_people_type_them_and_kept_in_pence() {
    assert_eq!(Pence::parse("400"), Ok(Pence(40_000)));
    assert_eq!(Pence::parse("£1,000"), Ok(Pence(100_000)));
    assert_eq!(Pence::parse(" 250.5 "), Ok(Pence(25_050)));
    assert_eq!(Pence::parse("250.05"), Ok(Pence(25_005)));
    assert_eq!(Pence::parse("0"), Err(AmountError::Zero));
    assert_eq!(Pence::parse("12.345"), Err(AmountError::NotAnAmount));
    assert_eq!(Pence::parse("-5"), Err(AmountError::NotAnAmount));
    assert_eq!(Pence::parse("four hundred"), Err(AmountError::NotAnAmount));
    assert_eq!(Pence::parse("99999999999"), Err(AmountError::TooLarge));
    assert_eq!(Pence(100_000).to_string(), "£1,000");
    assert_eq!(Pence(25_050).to_string(), "£250.50");
    assert_eq!(Pence(123_456_789).to_string(), "£1,234,567.89");
    assert_eq!(Pence(25_050).plain(), "250.50");
    assert_eq!(Pence(40_000).as_decimal().to_string(), "400");
    assert_eq!(Pence(25_050).as_decimal().to_string(), "250.5");
}

#[test]
fn criteria_are_typed_one_a_line_with_weights() {
    let c = parse_criteria("Need in the area | 3\n\nReach|2\nValue for money").unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!((c[0].key.as_str(), c[0].weight), ("need_in_the_area", 3));
    assert_eq!((c[1].key.as_str(), c[1].weight), ("reach", 2));
    assert_eq!(c[2].weight, 1);
    assert_eq!(parse_criteria(""), Err(RoundError::NoCriteria));
    assert_eq!(parse_criteria("Need | 11"), Err(RoundError::BadCriterion));
    assert_eq!(parse_criteria("Need | x"), Err(RoundError::BadCriterion));
    let twice = parse_criteria("Need\nNeed").unwrap();
    assert_ne!(twice[0].key, twice[1].key);
}

#[test]
fn a_round_keeps_its_band_the_right_way_up_and_its_fast_route_inside_it() {
    let now = Utc::now();
    let form = RoundForm {
        title: "Spring".into(),
        min: "100".into(),
        max: "5000".into(),
        fast_route_below: "1000".into(),
        closes_on: (uk_day(now) + TimeDelta::days(30))
            .format("%Y-%m-%d")
            .to_string(),
        criteria: "Need | 2".into(),
        open_to_unconstituted: Some("yes".into()),
        ..RoundForm::default()
    };
    let plan = form.plan(now).unwrap();
    assert!(plan.open_to_unconstituted && !plan.open_to_individuals);
    assert_eq!(plan.route_for(Pence::pounds(400)), Route::Fast);
    assert_eq!(plan.route_for(Pence::pounds(1_000)), Route::Panel);
    let upside = RoundForm {
        min: "6000".into(),
        ..form.clone()
    };
    assert_eq!(upside.plan(now), Err(RoundError::BandUpsideDown));
    let fast_outside = RoundForm {
        fast_route_below: "9000".into(),
        ..form.clone()
    };
    assert_eq!(
        fast_outside.plan(now),
        Err(RoundError::FastRouteOutsideBand)
    );
    let past = RoundForm {
        closes_on: "01/01/2020".into(),
        ..form.clone()
    };
    assert_eq!(past.plan(now), Err(RoundError::ClosesInPast));
    assert_eq!(past.plan(now).unwrap_err().field(), "closes_on");
}

fn uk_day(now: DateTime<Utc>) -> NaiveDate {
    crate::opening::uk_local(now).date()
}

#[test]
fn eligibility_is_checked_once_for_band_deadline_answers_and_constitution() {
    let now = Utc::now();
    let r = round(now);
    assert_eq!(check_submission(&r, &kelly(400), now), Ok(Route::Fast));
    assert_eq!(check_submission(&r, &kelly(2_000), now), Ok(Route::Panel));
    assert_eq!(
        check_submission(&r, &kelly(50), now),
        Err(Ineligible::OutsideBand {
            min: r.min,
            max: r.max
        })
    );
    assert!(matches!(
        check_submission(&r, &kelly(6_000), now),
        Err(Ineligible::OutsideBand { .. })
    ));
    let later = r.closes_at + TimeDelta::seconds(1);
    let late = check_submission(&r, &kelly(400), later).unwrap_err();
    assert!(matches!(late, Ineligible::DeadlinePassed(_)));
    assert_eq!(check_draft(&r, later), Err(late));

    let mut unanswered = kelly(400);
    unanswered.details.answers.remove("spending");
    let e = check_submission(&r, &unanswered, now).unwrap_err();
    assert_eq!(e.field(), "spending");

    let mut nobody = kelly(400);
    nobody.details.email.clear();
    assert_eq!(
        check_submission(&r, &nobody, now),
        Err(Ineligible::NoContact)
    );
    nobody.details.phone = "07700 900123".into();
    assert!(check_submission(&r, &nobody, now).is_ok());

    let closed_to_groups = RoundPlan {
        open_to_unconstituted: false,
        ..r.clone()
    };
    assert!(matches!(
        check_submission(&closed_to_groups, &kelly(400), now),
        Err(Ineligible::KindNotAccepted(_))
    ));
    let mut person = kelly(400);
    person.kind = ApplicantKind::Individual;
    assert!(matches!(
        check_submission(&r, &person, now),
        Err(Ineligible::KindNotAccepted("individuals"))
    ));
}

#[test]
fn a_draft_may_be_incomplete_but_never_oversized() {
    let form = ApplicationForm {
        kind: "unconstituted_group".into(),
        what_for: "x".repeat(MAX_FREE_TEXT + 1),
        ..ApplicationForm::default()
    };
    assert_eq!(form.draft().unwrap_err(), Ineligible::TooLong("what_for"));
    let incomplete = ApplicationForm {
        kind: "individual".into(),
        name: "Sam".into(),
        ..ApplicationForm::default()
    };
    let draft = incomplete.draft().unwrap();
    assert_eq!(draft.amount, None);
    assert_eq!(ApplicationForm::of(&draft).name, "Sam");
    let bad_sort = ApplicationForm {
        kind: "individual".into(),
        bank_sort_code: "12-34".into(),
        ..ApplicationForm::default()
    };
    assert_eq!(bad_sort.draft().unwrap_err(), Ineligible::SortCode);
    let sort = ApplicationForm {
        kind: "individual".into(),
        bank_sort_code: "12-34-56".into(),
        bank_account_number: "1234 5678".into(),
        ..ApplicationForm::default()
    };
    let d = sort.draft().unwrap();
    assert_eq!(d.details.bank_sort_code, "123456");
    assert_eq!(d.details.bank_account_number, "12345678");
    // Nothing of the applicant shows in Debug.
    let shown = format!("{:?}", kelly(400));
    assert!(
        !shown.contains("Kelly") && !shown.contains("example.org"),
        "{shown}"
    );
}

#[test]
fn a_conflicted_member_abstains_and_their_scores_never_count() {
    let r = round(Utc::now());
    let full: BTreeMap<String, u8> = r.criteria.iter().map(|c| (c.key.clone(), 5)).collect();
    let half: BTreeMap<String, u8> = r.criteria.iter().map(|c| (c.key.clone(), 2)).collect();
    assert_eq!(check_vote(&r.criteria, &Vote::Scores(full.clone())), Ok(()));
    let mut missing = full.clone();
    missing.remove("reach");
    assert_eq!(
        check_vote(&r.criteria, &Vote::Scores(missing)),
        Err(VoteError::Missing("Reach".into()))
    );
    let mut too_high = full.clone();
    too_high.insert("reach".into(), 6);
    assert_eq!(
        check_vote(&r.criteria, &Vote::Scores(too_high)),
        Err(VoteError::OutOfRange)
    );
    assert_eq!(
        check_vote(&r.criteria, &Vote::Conflict { reason: " ".into() }),
        Err(VoteError::NoReason)
    );

    let votes = vec![
        CastVote {
            member: member(1),
            vote: Vote::Scores(half.clone()),
        },
        CastVote {
            member: member(2),
            vote: Vote::Conflict {
                reason: "My sister runs the group".into(),
            },
        },
    ];
    let t = tally(&r.criteria, &votes);
    assert_eq!((t.scored_by, t.abstained), (1, 1));
    assert_eq!(t.score, Some(4_000), "2 of 5 on every criterion is 40%");
    assert_eq!(t.percent(), "40.0%");
    // Had the conflicted member scored full marks, nothing changes: only votes count.
    assert_eq!(tally(&r.criteria, &votes[..1]).score, Some(4_000));
    // Weights matter: 5 on the heaviest, 0 on the rest.
    let mut heavy: BTreeMap<String, u8> = r.criteria.iter().map(|c| (c.key.clone(), 0)).collect();
    heavy.insert("need_in_the_area".into(), 5);
    let t = tally(
        &r.criteria,
        &[CastVote {
            member: member(3),
            vote: Vote::Scores(heavy),
        }],
    );
    assert_eq!(t.score, Some(5_000), "weight 3 of 6");
    assert_eq!(tally(&r.criteria, &[]).score, None);
}

struct Item(Uuid, Tally, Option<DateTime<Utc>>);

impl Rankable for Item {
    fn tally(&self) -> Tally {
        self.1
    }
    fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.2
    }
    fn id(&self) -> Uuid {
        self.0
    }
}

#[test]
fn the_panel_sees_the_highest_scores_first_and_the_unscored_last() {
    let now = Utc::now();
    let t = |score| Tally {
        score,
        scored_by: 1,
        abstained: 0,
    };
    let mut items = vec![
        Item(Uuid::from_u128(1), t(None), Some(now)),
        Item(Uuid::from_u128(2), t(Some(5_000)), Some(now)),
        Item(Uuid::from_u128(3), t(Some(8_000)), Some(now)),
        Item(
            Uuid::from_u128(4),
            t(Some(5_000)),
            Some(now - TimeDelta::hours(1)),
        ),
    ];
    rank(&mut items);
    let order: Vec<u128> = items.iter().map(|i| i.0.as_u128()).collect();
    assert_eq!(order, vec![3, 4, 2, 1]);
}

#[test]
fn a_decision_needs_reasons_scores_and_an_amount_inside_the_band() {
    let r = round(Utc::now());
    let lead = member(9);
    let scored = vec![CastVote {
        member: member(1),
        vote: Vote::Scores(r.criteria.iter().map(|c| (c.key.clone(), 3)).collect()),
    }];
    let award = |amount: u64| Decision::Award {
        amount: Pence::pounds(amount),
        reasons: "Meets a clear need".into(),
    };
    let submitted = ApplicationStatus::Submitted;
    let asked = Pence::pounds(2_000);
    assert_eq!(
        check_decision(
            &r,
            submitted,
            Route::Panel,
            asked,
            &scored,
            lead,
            &award(2_000)
        ),
        Ok(())
    );
    assert_eq!(
        check_decision(&r, submitted, Route::Panel, asked, &[], lead, &award(2_000)),
        Err(DecisionError::NotScored)
    );
    // The fast route is decided without the panel.
    assert_eq!(
        check_decision(
            &r,
            submitted,
            Route::Fast,
            Pence::pounds(400),
            &[],
            lead,
            &award(400)
        ),
        Ok(())
    );
    assert!(matches!(
        check_decision(
            &r,
            submitted,
            Route::Panel,
            asked,
            &scored,
            lead,
            &award(2_500)
        ),
        Err(DecisionError::AmountOutsideBand { .. })
    ));
    let no_reasons = Decision::Decline {
        reasons: "  ".into(),
    };
    assert_eq!(
        check_decision(
            &r,
            submitted,
            Route::Panel,
            asked,
            &scored,
            lead,
            &no_reasons
        ),
        Err(DecisionError::NoReasons)
    );
    assert_eq!(
        check_decision(
            &r,
            ApplicationStatus::Awarded,
            Route::Panel,
            asked,
            &scored,
            lead,
            &award(100)
        ),
        Err(DecisionError::Decided)
    );
    let conflicted = vec![
        scored[0].clone(),
        CastVote {
            member: lead,
            vote: Vote::Conflict {
                reason: "Friend".into(),
            },
        },
    ];
    assert_eq!(
        check_decision(
            &r,
            submitted,
            Route::Panel,
            asked,
            &conflicted,
            lead,
            &award(100)
        ),
        Err(DecisionError::Conflicted)
    );
}

#[test]
fn payments_never_pass_the_award_and_monitoring_is_due_six_months_on() {
    let pay = |pounds| Payment {
        amount: Pence::pounds(pounds),
        paid_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        reference: "BACS 001".into(),
    };
    assert_eq!(
        check_payment(Pence::pounds(400), Pence(0), &pay(400)),
        Ok(())
    );
    assert_eq!(
        check_payment(Pence::pounds(400), Pence::pounds(300), &pay(200)),
        Err(PaymentError::MoreThanAwarded {
            paid: Pence::pounds(500),
            awarded: Pence::pounds(400)
        })
    );
    let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(monitoring_due(on(2026, 12, 3)), on(2027, 6, 3));
    assert_eq!(monitoring_due(on(2026, 8, 31)), on(2027, 2, 28));
    assert_eq!(
        monitoring_return("We met 20 times", "x", true, ""),
        Err(MonitoringError::NotANumber)
    );
    assert_eq!(
        monitoring_return("", "3", true, "").unwrap_err(),
        MonitoringError::Empty
    );
    assert_eq!(
        monitoring_return("We met 20 times", " 14 ", true, "")
            .unwrap()
            .people_reached,
        14
    );
}

#[test]
fn the_export_names_no_individual_and_gives_unregistered_groups_a_360g_id() {
    let meta = GrantPackage {
        prefix: "360G-kestleford".into(),
        funder_id: "360G-kestleford-FUND".into(),
        funder_name: "Kestleford Community Fund".into(),
        site_url: Some("https://knit.example".into()),
    };
    let base = AwardForExport {
        application_id: Uuid::from_u128(7),
        round_id: Uuid::from_u128(8),
        round_title: "Spring".into(),
        requested: Pence::pounds(400),
        awarded: Pence::pounds(400),
        paid: Pence(0),
        awarded_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        modified_at: Utc::now(),
        recipient: ExportRecipient::Individual,
    };
    let person = grant(&meta, &base);
    assert_eq!(
        person["recipientIndividual"]["name"],
        "Individual Recipient"
    );
    assert!(person.get("recipientOrganization").is_none());
    let group = grant(
        &meta,
        &AwardForExport {
            recipient: ExportRecipient::of(
                ApplicantKind::UnconstitutedGroup,
                "Thursday Social",
                "123",
                "",
            ),
            ..base.clone()
        },
    );
    let org = &group["recipientOrganization"][0];
    assert!(
        org["id"]
            .as_str()
            .unwrap()
            .starts_with("360G-kestleford-ORG-")
    );
    assert!(
        org.get("charityNumber").is_none(),
        "an unconstituted group has no number"
    );
    let charity = grant(
        &meta,
        &AwardForExport {
            recipient: ExportRecipient::of(
                ApplicantKind::ConstitutedGroup,
                "Hall Trust",
                "1 234 567",
                "",
            ),
            ..base
        },
    );
    assert_eq!(charity["recipientOrganization"][0]["id"], "GB-CHC-1234567");
}
