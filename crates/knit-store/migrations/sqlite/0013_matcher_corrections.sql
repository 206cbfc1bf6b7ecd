-- What coordinators did with the needs Knit suggested from a person's words, counted per
-- need, kind of correction (kept, removed, added) and month: no person, no words, no staff
-- member, so a place can see where the matcher is weak without keeping anything personal.
CREATE TABLE matcher_corrections (
    need TEXT NOT NULL,
    correction TEXT NOT NULL,
    month TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (need, correction, month)
);
