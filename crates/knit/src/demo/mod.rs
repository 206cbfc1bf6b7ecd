//! Demo data written for Knit: a fictional town and its villages. (Being written.)
