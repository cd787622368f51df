//! Fuzzes one article's whole path: markup lifted out, Markdown parsed and
//! rendered to HTML with every text converted to Simplified (hk2s).
#![no_main]

use std::sync::OnceLock;

use jianfan::convert::{default_engine, Converter};
use jianfan::source::glossary::Glossary;
use jianfan::convert::localize::Localizer;
use jianfan::convert::markdown::Document;
use libfuzzer_sys::fuzz_target;

fn hk2s() -> &'static Converter {
    static CONVERTER: OnceLock<Converter> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s")
    })
}

fuzz_target!(|body: &str| {
    let skip = jianfan::source::markdown::code_ranges(body);
    let mut spans = Vec::new();
    let Ok(prepared) =
        jianfan::source::markup::prepare(body, &["zh-hant", "zh-hans"], "zh-hant", &skip, &mut spans)
    else {
        return;
    };
    let localizer = Localizer::new("zh-hans", hk2s(), true);
    let glossary = Glossary::default();
    for unsafe_html in [false, true] {
        let document = Document::parse_with(&prepared, unsafe_html);
        let html = document.to_html(&|text: &str| localizer.localize(text, &spans, &glossary));
        if !unsafe_html {
            // Raw HTML never survives as markup in safe mode.
            assert!(!html.contains("<script"), "{html}");
        }
        let _ = document.first_paragraph();
        let _ = document.blocks();
    }
    let _ = jianfan::source::markdown::link_targets(&prepared);
});
