//! Knit's integration tests, in one binary (each extra test binary costs minutes to link).

mod oruk_conformance;
