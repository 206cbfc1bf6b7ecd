//! The Open Referral UK conformance test. (Being written.)
