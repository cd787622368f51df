//! Fuzzes `jianfan import`'s parser of raw newspaper text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let imported = jianfan::commands::import::parse(text);
    let _ = imported.to_markdown("2025-03-07");
    if let Some(title) = &imported.title {
        let _ = jianfan::commands::import::slug_from(title);
    }
});
