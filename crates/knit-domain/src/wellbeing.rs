//! Wellbeing measures a coordinator records with someone at the start of their support, at
//! reviews and at the end, so that both can see whether things are getting better.
//!
//! Two published measures, used as published so that our numbers mean what they mean
//! everywhere else:
//!
//! - **ONS4**, the Office for National Statistics' four personal wellbeing questions, each
//!   answered 0–10, with the ONS's own thresholds for low, medium, high and very high.
//! - **SWEMWBS**, the Short Warwick-Edinburgh Mental Wellbeing Scale: seven statements, each
//!   answered 1–5, whose raw total is converted to a metric score with the published Rasch
//!   conversion table. The wording must not be changed; the scale's authors ask organisations
//!   using it to register for its (free) licence.
//!
//! Answers can only be built whole and in range, so a stored measure is always one that can
//! be scored. Scores are compared in hundredths of a point, as the conversion table gives
//! them, so that a change is exact and never a floating-point near miss.

use std::fmt;

use serde::{Deserialize, Serialize};

// The ONS4 wording is the GSS personal well-being harmonised standard, as asked on the
// Annual Population Survey (where the anxiety question is read with its 0-10 anchors).
pub const ONS4_LIFE_SATISFACTION: &str = "Overall, how satisfied are you with your life nowadays?";
pub const ONS4_WORTHWHILE: &str =
    "Overall, to what extent do you feel that the things you do in your life are worthwhile?";
pub const ONS4_HAPPINESS: &str = "Overall, how happy did you feel yesterday?";
pub const ONS4_ANXIETY: &str = "Overall, how anxious did you feel yesterday?";
/// Read out before the questions: the ONS asks them on a 0–10 scale with these anchors.
pub const ONS4_SCALE_HINT: &str =
    "Answer each on a scale of 0 to 10, where 0 is \"not at all\" and 10 is \"completely\".";
pub const ONS4_MIN: u8 = 0;
pub const ONS4_MAX: u8 = 10;

pub const SWEMWBS_OPTIMISTIC: &str = "I've been feeling optimistic about the future";
pub const SWEMWBS_USEFUL: &str = "I've been feeling useful";
pub const SWEMWBS_RELAXED: &str = "I've been feeling relaxed";
pub const SWEMWBS_DEALING_WITH_PROBLEMS: &str = "I've been dealing with problems well";
pub const SWEMWBS_THINKING_CLEARLY: &str = "I've been thinking clearly";
pub const SWEMWBS_CLOSE_TO_OTHERS: &str = "I've been feeling close to other people";
pub const SWEMWBS_OWN_MIND: &str = "I've been able to make up my own mind about things";
/// The instruction printed above the statements.
pub const SWEMWBS_INSTRUCTION: &str = "Below are some statements about feelings and thoughts. \
     Please tick the box that best describes your experience of each over the last 2 weeks.";
/// The answers, in order: answer `n` (1–5) is `SWEMWBS_RESPONSES[n - 1]`.
pub const SWEMWBS_RESPONSES: [&str; 5] = [
    "None of the time",
    "Rarely",
    "Some of the time",
    "Often",
    "All of the time",
];
pub const SWEMWBS_MIN: u8 = 1;
pub const SWEMWBS_MAX: u8 = 5;

/// The smallest change in the SWEMWBS metric score, in hundredths of a point, that we call
/// meaningful for one person: 3.00 points.
///
/// Shah et al. (2018), "Responsiveness of the Short Warwick Edinburgh Mental Well-Being Scale
/// (SWEMWBS): evaluation a clinical sample", Health and Quality of Life Outcomes 16:239,
/// found that at the individual level a change of between 1 and 3 points meets thresholds for
/// statistically important change, depending on the standard (1 SEM = 1.03 points; 2.77 SEM
/// = 2.87 points). We take the stricter end, rounded up to 3, so that "meaningful" is not
/// said of a change that may be noise; smaller changes are still reported, with their size.
pub const SWEMWBS_MEANINGFUL_CHANGE_HUNDREDTHS: u16 = 300;

/// The published SWEMWBS conversion from raw total (7–35) to metric score, in hundredths:
/// `SWEMWBS_METRIC_HUNDREDTHS[raw - 7]`. From the scale's scoring guidance (University of
/// Warwick, "SWEMWBS conversion table"), based on Stewart-Brown et al. (2009), Health and
/// Quality of Life Outcomes 7:15.
pub const SWEMWBS_METRIC_HUNDREDTHS: [u16; 29] = [
    700, 951, 1125, 1240, 1333, 1408, 1475, 1532, 1584, 1636, 1688, 1743, 1798, 1859, 1925, 1998,
    2073, 2154, 2235, 2321, 2411, 2503, 2602, 2703, 2813, 2931, 3070, 3255, 3500,
];

/// Why answers were refused, in words for the coordinator filling in the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WellbeingError {
    #[error("Answer '{question}' with a number from {min} to {max}")]
    Answer {
        question: &'static str,
        min: u8,
        max: u8,
    },
    #[error("an {earlier} measure cannot be compared with a {later} one")]
    DifferentMeasures {
        earlier: &'static str,
        later: &'static str,
    },
    #[error("there is no stage called '{0}'; it is start, review or end")]
    UnknownStage(String),
}

/// Parses one typed answer ("7", " 10 "); anything else is refused naming the question.
fn parse_answer(
    text: &str,
    question: &'static str,
    min: u8,
    max: u8,
) -> Result<u8, WellbeingError> {
    let refused = WellbeingError::Answer { question, min, max };
    let trimmed = text.trim();
    // u8's parser accepts "+7"; a form answer is plain digits.
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused);
    }
    match trimmed.parse::<u8>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(refused),
    }
}

/// Whether a later answer or score is better, the same or worse than an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Unchanged,
    Worse,
}

impl Direction {
    /// The direction of `difference` (later minus earlier) on a scale where higher is better
    /// unless `lower_is_better`.
    fn of(difference: i32, lower_is_better: bool) -> Direction {
        let better = if lower_is_better {
            -difference
        } else {
            difference
        };
        match better.signum() {
            1 => Direction::Improved,
            0 => Direction::Unchanged,
            _ => Direction::Worse,
        }
    }
}

// --- ONS4 ---

/// One of the four ONS personal wellbeing questions, in the order the ONS asks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ons4Question {
    LifeSatisfaction,
    Worthwhile,
    Happiness,
    Anxiety,
}

impl Ons4Question {
    pub const ALL: [Ons4Question; 4] = [
        Ons4Question::LifeSatisfaction,
        Ons4Question::Worthwhile,
        Ons4Question::Happiness,
        Ons4Question::Anxiety,
    ];

    /// The exact wording, for the form.
    pub fn text(self) -> &'static str {
        match self {
            Ons4Question::LifeSatisfaction => ONS4_LIFE_SATISFACTION,
            Ons4Question::Worthwhile => ONS4_WORTHWHILE,
            Ons4Question::Happiness => ONS4_HAPPINESS,
            Ons4Question::Anxiety => ONS4_ANXIETY,
        }
    }

    /// A short name for summaries and column headings.
    pub fn label(self) -> &'static str {
        match self {
            Ons4Question::LifeSatisfaction => "Life satisfaction",
            Ons4Question::Worthwhile => "Feeling things are worthwhile",
            Ons4Question::Happiness => "Happiness",
            Ons4Question::Anxiety => "Anxiety",
        }
    }

    /// Anxiety is the one question where a lower answer is the better one.
    pub fn lower_is_better(self) -> bool {
        self == Ons4Question::Anxiety
    }

    /// The ONS threshold band an answer falls in. The ONS bands anxiety differently from the
    /// other three, and for anxiety a lower band is better.
    pub fn band(self, answer: u8) -> Ons4Band {
        if self == Ons4Question::Anxiety {
            match answer {
                0..=1 => Ons4Band::VeryLow,
                2..=3 => Ons4Band::Low,
                4..=5 => Ons4Band::Medium,
                _ => Ons4Band::High,
            }
        } else {
            match answer {
                0..=4 => Ons4Band::Low,
                5..=6 => Ons4Band::Medium,
                7..=8 => Ons4Band::High,
                _ => Ons4Band::VeryHigh,
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The ONS's thresholds for reporting an answer. Satisfaction, worthwhile and happiness: 0–4
/// low, 5–6 medium, 7–8 high, 9–10 very high. Anxiety: 0–1 very low, 2–3 low, 4–5 medium,
/// 6–10 high (and there, lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ons4Band {
    VeryLow,
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Ons4Band {
    pub fn label(self) -> &'static str {
        match self {
            Ons4Band::VeryLow => "very low",
            Ons4Band::Low => "low",
            Ons4Band::Medium => "medium",
            Ons4Band::High => "high",
            Ons4Band::VeryHigh => "very high",
        }
    }
}

/// All four ONS4 answers, each 0–10, in [`Ons4Question::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Ons4Json", into = "Ons4Json")]
pub struct Ons4Answers([u8; 4]);

/// How ONS4 answers are kept as JSON: named, so a stored row reads on its own.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ons4Json {
    life_satisfaction: u8,
    worthwhile: u8,
    happiness: u8,
    anxiety: u8,
}

impl Ons4Answers {
    pub fn new(answers: [u8; 4]) -> Result<Ons4Answers, WellbeingError> {
        for (question, answer) in Ons4Question::ALL.into_iter().zip(answers) {
            if answer > ONS4_MAX {
                return Err(WellbeingError::Answer {
                    question: question.text(),
                    min: ONS4_MIN,
                    max: ONS4_MAX,
                });
            }
        }
        Ok(Ons4Answers(answers))
    }

    /// Answers as typed on the form, in [`Ons4Question::ALL`] order.
    pub fn parse(typed: [&str; 4]) -> Result<Ons4Answers, WellbeingError> {
        let mut answers = [0; 4];
        for (i, question) in Ons4Question::ALL.into_iter().enumerate() {
            answers[i] = parse_answer(typed[i], question.text(), ONS4_MIN, ONS4_MAX)?;
        }
        Ok(Ons4Answers(answers))
    }

    pub fn answer(&self, question: Ons4Question) -> u8 {
        self.0[question.index()]
    }

    pub fn band(&self, question: Ons4Question) -> Ons4Band {
        question.band(self.answer(question))
    }

    pub fn as_array(&self) -> [u8; 4] {
        self.0
    }

    /// How each answer moved between this measure and a later one.
    pub fn change_to(&self, later: &Ons4Answers) -> Ons4Change {
        Ons4Change {
            items: Ons4Question::ALL.map(|question| Ons4ItemChange {
                question,
                before: self.answer(question),
                after: later.answer(question),
            }),
        }
    }
}

impl TryFrom<Ons4Json> for Ons4Answers {
    type Error = WellbeingError;

    fn try_from(json: Ons4Json) -> Result<Self, Self::Error> {
        Ons4Answers::new([
            json.life_satisfaction,
            json.worthwhile,
            json.happiness,
            json.anxiety,
        ])
    }
}

impl From<Ons4Answers> for Ons4Json {
    fn from(answers: Ons4Answers) -> Self {
        let [life_satisfaction, worthwhile, happiness, anxiety] = answers.0;
        Ons4Json {
            life_satisfaction,
            worthwhile,
            happiness,
            anxiety,
        }
    }
}

/// How one ONS4 answer moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ons4ItemChange {
    pub question: Ons4Question,
    pub before: u8,
    pub after: u8,
}

impl Ons4ItemChange {
    /// Later minus earlier, in points.
    pub fn difference(&self) -> i8 {
        self.after as i8 - self.before as i8
    }

    pub fn direction(&self) -> Direction {
        Direction::of(self.difference().into(), self.question.lower_is_better())
    }

    /// "Anxiety fell from 8 to 3 (-5), an improvement".
    pub fn summary(&self) -> String {
        let label = self.question.label();
        let difference = self.difference();
        if difference == 0 {
            return format!("{label} stayed at {}", self.before);
        }
        let verb = if difference > 0 { "rose" } else { "fell" };
        let verdict = match self.direction() {
            Direction::Improved => "an improvement",
            _ => "a change for the worse",
        };
        format!(
            "{label} {verb} from {} to {} ({difference:+}), {verdict}",
            self.before, self.after
        )
    }
}

/// How the four ONS4 answers moved between two measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ons4Change {
    items: [Ons4ItemChange; 4],
}

impl Ons4Change {
    pub fn items(&self) -> &[Ons4ItemChange; 4] {
        &self.items
    }

    pub fn item(&self, question: Ons4Question) -> Ons4ItemChange {
        self.items[question.index()]
    }

    /// One clause per question, joined with semicolons.
    pub fn summary(&self) -> String {
        self.items
            .iter()
            .map(Ons4ItemChange::summary)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

// --- SWEMWBS ---

/// One of the seven SWEMWBS statements, in the published order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SwemwbsItem {
    Optimistic,
    Useful,
    Relaxed,
    DealingWithProblems,
    ThinkingClearly,
    CloseToOthers,
    OwnMind,
}

impl SwemwbsItem {
    pub const ALL: [SwemwbsItem; 7] = [
        SwemwbsItem::Optimistic,
        SwemwbsItem::Useful,
        SwemwbsItem::Relaxed,
        SwemwbsItem::DealingWithProblems,
        SwemwbsItem::ThinkingClearly,
        SwemwbsItem::CloseToOthers,
        SwemwbsItem::OwnMind,
    ];

    /// The exact wording, for the form.
    pub fn text(self) -> &'static str {
        match self {
            SwemwbsItem::Optimistic => SWEMWBS_OPTIMISTIC,
            SwemwbsItem::Useful => SWEMWBS_USEFUL,
            SwemwbsItem::Relaxed => SWEMWBS_RELAXED,
            SwemwbsItem::DealingWithProblems => SWEMWBS_DEALING_WITH_PROBLEMS,
            SwemwbsItem::ThinkingClearly => SWEMWBS_THINKING_CLEARLY,
            SwemwbsItem::CloseToOthers => SWEMWBS_CLOSE_TO_OTHERS,
            SwemwbsItem::OwnMind => SWEMWBS_OWN_MIND,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A SWEMWBS metric score, 7.00–35.00, kept in hundredths as the conversion table gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SwemwbsScore(u16);

impl SwemwbsScore {
    /// The metric score for a raw total, if the total is one seven answers can make (7–35).
    pub fn from_raw_total(raw: u8) -> Option<SwemwbsScore> {
        let index = usize::from(raw.checked_sub(7)?);
        SWEMWBS_METRIC_HUNDREDTHS
            .get(index)
            .copied()
            .map(SwemwbsScore)
    }

    pub fn hundredths(self) -> u16 {
        self.0
    }

    /// For charts and averages; compare scores with the hundredths, not this.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

/// "23.21".
impl fmt::Display for SwemwbsScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// All seven SWEMWBS answers, each 1–5, in [`SwemwbsItem::ALL`] order. Kept as JSON as the
/// array of seven answers, the form the scale publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "[u8; 7]", into = "[u8; 7]")]
pub struct SwemwbsAnswers([u8; 7]);

impl SwemwbsAnswers {
    pub fn new(answers: [u8; 7]) -> Result<SwemwbsAnswers, WellbeingError> {
        for (item, answer) in SwemwbsItem::ALL.into_iter().zip(answers) {
            if !(SWEMWBS_MIN..=SWEMWBS_MAX).contains(&answer) {
                return Err(WellbeingError::Answer {
                    question: item.text(),
                    min: SWEMWBS_MIN,
                    max: SWEMWBS_MAX,
                });
            }
        }
        Ok(SwemwbsAnswers(answers))
    }

    /// Answers as typed or picked on the form ("1" to "5"), in [`SwemwbsItem::ALL`] order.
    pub fn parse(typed: [&str; 7]) -> Result<SwemwbsAnswers, WellbeingError> {
        let mut answers = [0; 7];
        for (i, item) in SwemwbsItem::ALL.into_iter().enumerate() {
            answers[i] = parse_answer(typed[i], item.text(), SWEMWBS_MIN, SWEMWBS_MAX)?;
        }
        Ok(SwemwbsAnswers(answers))
    }

    pub fn answer(&self, item: SwemwbsItem) -> u8 {
        self.0[item.index()]
    }

    pub fn as_array(&self) -> [u8; 7] {
        self.0
    }

    /// The sum of the answers, 7–35. Report the metric score, not this.
    pub fn raw_total(&self) -> u8 {
        self.0.iter().sum()
    }

    pub fn score(&self) -> SwemwbsScore {
        SwemwbsScore::from_raw_total(self.raw_total())
            .expect("seven answers of 1 to 5 always total 7 to 35")
    }

    pub fn change_to(&self, later: &SwemwbsAnswers) -> SwemwbsChange {
        SwemwbsChange {
            before: *self,
            after: *later,
        }
    }
}

impl TryFrom<[u8; 7]> for SwemwbsAnswers {
    type Error = WellbeingError;

    fn try_from(answers: [u8; 7]) -> Result<Self, Self::Error> {
        SwemwbsAnswers::new(answers)
    }
}

impl From<SwemwbsAnswers> for [u8; 7] {
    fn from(answers: SwemwbsAnswers) -> Self {
        answers.0
    }
}

/// How SWEMWBS moved between two measures: the metric score, and each answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwemwbsChange {
    pub before: SwemwbsAnswers,
    pub after: SwemwbsAnswers,
}

impl SwemwbsChange {
    /// Later metric score minus earlier, in hundredths of a point.
    pub fn difference_hundredths(&self) -> i32 {
        i32::from(self.after.score().hundredths()) - i32::from(self.before.score().hundredths())
    }

    /// Later answer minus earlier for each statement, in [`SwemwbsItem::ALL`] order.
    pub fn item_differences(&self) -> [i8; 7] {
        SwemwbsItem::ALL.map(|item| self.after.answer(item) as i8 - self.before.answer(item) as i8)
    }

    pub fn direction(&self) -> Direction {
        Direction::of(self.difference_hundredths(), false)
    }

    /// Whether the score moved by at least [`SWEMWBS_MEANINGFUL_CHANGE_HUNDREDTHS`], either
    /// way.
    pub fn is_meaningful(&self) -> bool {
        self.difference_hundredths().unsigned_abs()
            >= u32::from(SWEMWBS_MEANINGFUL_CHANGE_HUNDREDTHS)
    }

    /// "Wellbeing score rose from 19.98 to 23.21 (+3.23), a meaningful improvement".
    pub fn summary(&self) -> String {
        let (before, after) = (self.before.score(), self.after.score());
        let difference = self.difference_hundredths();
        if difference == 0 {
            return format!("Wellbeing score stayed at {before}");
        }
        let verb = if difference > 0 { "rose" } else { "fell" };
        let sign = if difference > 0 { '+' } else { '-' };
        let size = difference.unsigned_abs();
        let verdict = match (self.is_meaningful(), self.direction()) {
            (true, Direction::Improved) => "a meaningful improvement",
            (true, _) => "a meaningful decline",
            (false, _) => "too small a change to be sure it is more than chance",
        };
        format!(
            "Wellbeing score {verb} from {before} to {after} ({sign}{}.{:02}), {verdict}",
            size / 100,
            size % 100
        )
    }
}

// --- measures and stages ---

/// Which measure a set of answers belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeasureKind {
    Ons4,
    Swemwbs,
}

impl MeasureKind {
    /// Stable codes, for the database and the JSON tag.
    pub fn code(self) -> &'static str {
        match self {
            MeasureKind::Ons4 => "ons4",
            MeasureKind::Swemwbs => "swemwbs",
        }
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            MeasureKind::Ons4 => "ONS4",
            MeasureKind::Swemwbs => "SWEMWBS",
        }
    }
}

/// One completed measure. As JSON: `{"measure": "ons4", "answers": {...}}` or
/// `{"measure": "swemwbs", "answers": [..7 answers..]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "measure", content = "answers", rename_all = "snake_case")]
pub enum Measure {
    Ons4(Ons4Answers),
    Swemwbs(SwemwbsAnswers),
}

impl Measure {
    pub fn kind(&self) -> MeasureKind {
        match self {
            Measure::Ons4(_) => MeasureKind::Ons4,
            Measure::Swemwbs(_) => MeasureKind::Swemwbs,
        }
    }

    /// The answers in a line, for the person's record: "SWEMWBS 19.98 (raw 20 of 35)", or
    /// each ONS4 question's short label with its answer.
    pub fn summary(&self) -> String {
        match self {
            Measure::Swemwbs(answers) => format!(
                "SWEMWBS {} (raw {} of 35)",
                answers.score(),
                answers.raw_total()
            ),
            Measure::Ons4(answers) => {
                let parts: Vec<String> = Ons4Question::ALL
                    .iter()
                    .map(|q| format!("{} {}", q.label(), answers.answer(*q)))
                    .collect();
                format!("ONS4: {}", parts.join(", "))
            }
        }
    }

    /// How things moved from this measure to a later one of the same kind.
    pub fn change_to(&self, later: &Measure) -> Result<Change, WellbeingError> {
        match (self, later) {
            (Measure::Ons4(before), Measure::Ons4(after)) => {
                Ok(Change::Ons4(before.change_to(after)))
            }
            (Measure::Swemwbs(before), Measure::Swemwbs(after)) => {
                Ok(Change::Swemwbs(before.change_to(after)))
            }
            _ => Err(WellbeingError::DifferentMeasures {
                earlier: self.kind().name(),
                later: later.kind().name(),
            }),
        }
    }
}

/// The change between two measures of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Ons4(Ons4Change),
    Swemwbs(SwemwbsChange),
}

impl Change {
    /// In plain English, for the person's record and for them to read.
    pub fn summary(&self) -> String {
        match self {
            Change::Ons4(change) => change.summary(),
            Change::Swemwbs(change) => change.summary(),
        }
    }
}

/// When in someone's support a measure was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Start,
    Review,
    End,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Start, Stage::Review, Stage::End];

    /// Stable codes, for the database and forms.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Start => "start",
            Stage::Review => "review",
            Stage::End => "end",
        }
    }

    pub fn from_code(code: &str) -> Result<Stage, WellbeingError> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.code() == code)
            .ok_or_else(|| WellbeingError::UnknownStage(code.chars().take(20).collect()))
    }
}

#[cfg(test)]
mod tests;
