//! Stories of people describing their situation in their own words.

use std::sync::LazyLock;

use super::*;

/// Built once: compiling the vocabulary is the slow part.
static MATCHER: LazyLock<Matcher> = LazyLock::new(Matcher::new);

fn shown(text: &str) -> Vec<&'static str> {
    MATCHER
        .match_text(text)
        .iter()
        .map(|m| m.need.as_str())
        .collect()
}

fn because(text: &str, need: &str) -> Vec<String> {
    MATCHER
        .match_text(text)
        .into_iter()
        .find(|m| m.need.as_str() == need)
        .map(|m| m.because)
        .unwrap_or_default()
}

#[test]
fn the_vocabulary_compiles_and_covers_every_need() {
    let matcher = Matcher::new();
    assert!(matcher.phrases.len() > 1000, "{matcher:?}");
    assert_eq!(needs_without_cues(), Vec::<NeedId>::new());
}

#[test]
fn mary_is_understood_in_her_own_words_with_safety_first() {
    let text = "my ex keeps turning up, the bailiffs are at the door and I can't sleep";
    let needs = shown(text);
    assert_eq!(needs.first(), Some(&"domestic-abuse"), "{needs:?}");
    assert!(needs.contains(&"debt"), "{needs:?}");
    assert_eq!(because(text, "debt"), ["bailiffs"]);
    assert_eq!(because(text, "domestic-abuse"), ["ex keeps turning up"]);
}

#[test]
fn because_quotes_the_person_as_they_wrote_it() {
    let text = "Got kicked out by my Dad last week, Sofa-Surfing at my mate's";
    assert_eq!(shown(text).first(), Some(&"homelessness"));
    let quoted = because(text, "homelessness");
    assert!(quoted.contains(&"kicked out".to_owned()), "{quoted:?}");
    assert!(quoted.contains(&"Sofa-Surfing".to_owned()), "{quoted:?}");
}

#[test]
fn negation_drops_what_the_person_says_is_fine() {
    let text = "my benefits are fine, it's the loneliness that gets me";
    assert_eq!(shown(text), ["loneliness"]);
    assert_eq!(
        shown("it's not the money, I just feel so lonely since I moved"),
        ["loneliness"]
    );
    assert!(
        !shown("I don't drink and I've never gambled, I just can't find work")
            .iter()
            .any(|n| *n == "alcohol-drugs" || *n == "gambling")
    );
    assert!(
        !shown("no debts thankfully, but the damp in the flat is making us ill").contains(&"debt")
    );
    assert!(!shown("I'm not depressed, I'm bored and want to get fit").contains(&"mental-health"));
}

#[test]
fn a_denial_covers_a_list_and_a_doubt_is_not_a_denial() {
    assert_eq!(
        shown("no problems with drink or drugs, it's my anxiety"),
        ["mental-health"]
    );
    assert_eq!(shown("I'm not sure if I'm depressed"), ["mental-health"]);
    assert_eq!(
        shown("he's never hit me but he scares me"),
        ["domestic-abuse"]
    );
    assert_eq!(
        shown("food isn't the problem, it's paying the gas"),
        ["fuel-poverty"]
    );
}

#[test]
fn negation_does_not_drop_a_lack_that_is_the_need_itself() {
    assert!(shown("there's no food in the house and no money till Friday").contains(&"food"));
    assert!(shown("I haven't got a job and the rent is due").contains(&"employment"));
    assert!(shown("I've got no friends round here").contains(&"loneliness"));
    assert!(shown("I can't cope anymore").contains(&"mental-health"));
}

#[test]
fn misspellings_still_find_the_need() {
    assert_eq!(shown("the bailifs are coming tomorow"), ["debt"]);
    assert!(shown("I need help with my benifits").contains(&"benefits"));
    assert!(shown("I feel so lonley all the time").contains(&"loneliness"));
    assert!(shown("my mum has demensia").contains(&"dementia"));
}

#[test]
fn british_slang_is_understood() {
    assert!(shown("I'm skint and the leccy's run out").contains(&"fuel-poverty"));
    assert!(shown("the social stopped my money").contains(&"benefits"));
    assert!(shown("need a foodbank voucher for me and the bairns").contains(&"food"));
    assert!(shown("got a section 21 off the landlord").contains(&"homelessness"));
    assert!(shown("I've got a CCJ and klarna chasing me").contains(&"debt"));
    assert!(shown("he checks my phone and tracks where I go").contains(&"domestic-abuse"));
    assert!(shown("the flat is full of black mould").contains(&"housing-advice"));
}

#[test]
fn suicidal_thoughts_rank_first_even_beside_other_needs() {
    let needs = shown("I've lost my job and I'm behind on rent and honestly I want to end it all");
    assert_eq!(needs.first(), Some(&"mental-health"), "{needs:?}");
    assert!(
        needs.contains(&"employment") && needs.contains(&"debt"),
        "{needs:?}"
    );
}

#[test]
fn sleeping_rough_tonight_ranks_before_money_worries() {
    let needs = shown("my benefits got sanctioned and I'm sleeping in my car tonight");
    assert_eq!(needs.first(), Some(&"homelessness"), "{needs:?}");
    assert!(needs.contains(&"benefits"), "{needs:?}");
}

#[test]
fn the_giving_side_points_to_volunteering_not_to_what_is_offered() {
    let needs = shown("I used to be a chef, I'd love to cook for people");
    assert_eq!(needs, ["volunteering"]);
    let needs = shown("I'm retired and want to give something back, maybe help at the food bank");
    assert_eq!(needs, ["volunteering"]);
    let needs = shown("I want to set up a walking group for new mums on our estate");
    assert_eq!(needs.first(), Some(&"community-action"), "{needs:?}");
    assert!(!needs.contains(&"early-years"), "{needs:?}");
}

#[test]
fn an_offer_does_not_hide_the_persons_own_needs() {
    let needs = shown("I'd like to volunteer. I'm so lonely since my wife died");
    assert!(needs.contains(&"volunteering"), "{needs:?}");
    assert!(needs.contains(&"loneliness"), "{needs:?}");
    assert!(needs.contains(&"bereavement"), "{needs:?}");
}

#[test]
fn an_empty_or_nonsense_text_gives_no_needs() {
    assert!(shown("").is_empty());
    assert!(shown("   \n ").is_empty());
    assert!(shown("asdf qwerty zxcv").is_empty());
    assert!(shown("the weather is nice today").is_empty());
    assert!(shown("🙂🙂🙂 !!!").is_empty());
}

#[test]
fn scores_are_between_zero_and_one_and_best_first_after_urgent() {
    let matches = MATCHER.match_text(
        "I'm drinking every day, my wife wants a divorce and I've got loads of debt on credit cards",
    );
    assert!(matches.len() >= 3, "{matches:?}");
    for m in &matches {
        assert!(m.score >= SHOW_THRESHOLD && m.score <= 1.0, "{m:?}");
        assert!(!m.because.is_empty(), "{m:?}");
    }
    assert!(
        matches.windows(2).all(|w| w[0].score >= w[1].score),
        "{matches:?}"
    );
}
