//! Fuzzes the `-{…}-` conversion-markup parser, and resolving what it finds.
#![no_main]

use jianfan::convert::Converter;
use jianfan::source::glossary::Glossary;
use jianfan::convert::localize::Localizer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut spans = Vec::new();
    if let Ok(prepared) =
        jianfan::source::markup::prepare(text, &["zh-hant", "zh-hans"], "zh-hant", &[], &mut spans)
    {
        let identity = Converter::identity();
        let _ = Localizer::new("zh-hans", &identity, true).localize(
            &prepared,
            &spans,
            &Glossary::default(),
        );
    }
});
