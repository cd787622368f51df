//! jianfan's integration tests, in one test binary: each module was a test
//! file of its own, and one binary links the library and the test helpers
//! once instead of seventeen times (BENCHMARKS.md, "First compile").
//! `cargo test --test it corpus::` runs one module's tests.

mod common;

mod archive;
mod bad_inputs;
mod chain;
mod check;
mod cli;
mod cms;
mod corpus;
mod engines;
mod import;
mod markdown;
mod photos;
mod problems;
mod publish;
mod record;
mod release;
mod serve;
mod site;
mod steering;
