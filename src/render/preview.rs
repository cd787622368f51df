//! The side-by-side preview `serve` offers at `/_preview/<slug>/`: an
//! article's source and every generated variant, paragraph by paragraph,
//! so an editor can proofread the conversion in one look.
//!
//! Two kinds of place are marked in the converted text: where OpenCC chose
//! by *phrase* (converting the characters one by one would have given
//! something else, e.g. 乾隆 kept where 乾 alone becomes 干), and characters
//! whose Simplified form depends on context (see [`crate::convert::script`]).

use crate::convert::localize::Localizer;
use crate::convert::markdown::Document;
use crate::convert::script;
use crate::convert::site::Site;

/// Escapes text for HTML (the templates' escaper).
pub fn escape(text: &str) -> String {
    crate::render::escape_html(text)
}

/// The preview page of article `slug`, if there is one.
pub fn page(site: &Site, slug: &str) -> Option<String> {
    let index = site.articles.iter().position(|a| a.slug == slug)?;
    let article = &site.articles[index];
    let config = &site.config;
    let glossary = article.glossary(config);
    let localizers: Vec<Localizer<'_>> = config
        .variants
        .iter()
        .zip(&site.converters)
        .map(|(v, cc)| Localizer::new(&v.key, cc, v.punctuation))
        .collect();
    let source = &localizers[0];
    let document = Document::parse(&article.body);
    let mut blocks = vec![article.front.title.clone()];
    blocks.extend(article.front.subtitle.clone());
    blocks.extend(document.blocks());

    let mut rows = String::new();
    for block in &blocks {
        let original = source.localize(block, &article.spans, glossary);
        rows.push_str("<tr>");
        rows.push_str(&format!(
            "<td lang=\"{}\">{}</td>",
            config.variants[0].lang,
            mark_source(&original)
        ));
        for ((variant, converter), localizer) in config
            .variants
            .iter()
            .zip(&site.converters)
            .zip(&localizers)
            .skip(1)
        {
            let converted = match article.forks.get(&variant.key) {
                // A hand-edited variant is shown as a whole below, not aligned.
                Some(_) => String::from("（手改版本）"),
                None => localizer.localize(block, &article.spans, glossary),
            };
            let by_phrase = converter.convert(&original);
            let by_character: String = original
                .chars()
                .map(|c| converter.convert(&c.to_string()))
                .collect();
            rows.push_str(&format!(
                "<td lang=\"{}\">{}</td>",
                variant.lang,
                mark_converted(&original, &converted, &by_phrase, &by_character)
            ));
        }
        rows.push_str("</tr>\n");
    }
    let headings: String = config
        .variants
        .iter()
        .map(|v| format!("<th lang=\"{}\">{}</th>", v.lang, escape(&v.name)))
        .collect();
    let links: String = config
        .variants
        .iter()
        .map(|v| {
            let path = crate::layout::article_path(&v.prefix, slug);
            format!(" <a href=\"/{path}\">{}</a>", v.prefix)
        })
        .collect();
    Some(format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>預覽 {slug}</title><style>{STYLE}</style></head><body>\
         <h1>{title}</h1><p class=\"legend\"><mark class=\"phrase\">按詞組轉換</mark> \
         <mark class=\"ambiguous\">一字多義，須留意</mark> · 頁面：{links}</p>\
         <table><thead><tr>{headings}</tr></thead><tbody>\n{rows}</tbody></table></body></html>\n",
        lang = config.variants[0].lang,
        slug = escape(slug),
        title = escape(&source.localize(&article.front.title, &article.spans, glossary)),
    ))
}

/// The source text, its ambiguous characters marked.
fn mark_source(text: &str) -> String {
    text.chars()
        .map(|c| match script::ambiguous_forms(c) {
            Some(forms) => format!(
                "<mark class=\"ambiguous\" title=\"{}\">{}</mark>",
                forms.iter().collect::<String>(),
                escape(&c.to_string())
            ),
            None => escape(&c.to_string()),
        })
        .collect()
}

/// The converted text, marked where it was converted by phrase and where
/// the source character is ambiguous. Marks need the texts to align
/// character for character; where they do not, the text is shown unmarked.
fn mark_converted(original: &str, converted: &str, by_phrase: &str, by_character: &str) -> String {
    let source: Vec<char> = original.chars().collect();
    let out: Vec<char> = converted.chars().collect();
    let phrase: Vec<char> = by_phrase.chars().collect();
    let single: Vec<char> = by_character.chars().collect();
    if out.len() != source.len() || phrase.len() != source.len() || single.len() != source.len() {
        return escape(converted);
    }
    let mut html = String::new();
    for i in 0..out.len() {
        let c = escape(&out[i].to_string());
        if phrase[i] != single[i] {
            html.push_str(&format!(
                "<mark class=\"phrase\" title=\"逐字：{}\">{c}</mark>",
                escape(&single[i].to_string())
            ));
        } else if script::ambiguous_forms(source[i]).is_some() {
            html.push_str(&format!(
                "<mark class=\"ambiguous\" title=\"原文：{}\">{c}</mark>",
                escape(&source[i].to_string())
            ));
        } else {
            html.push_str(&c);
        }
    }
    html
}

const STYLE: &str = "body{font:16px/1.8 system-ui,sans-serif;margin:1rem auto;max-width:90rem;padding:0 1rem}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.5rem;vertical-align:top;width:50%}\
mark.phrase{background:#cde8ff}mark.ambiguous{background:#ffe08a}.legend{color:#555}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_decisions_and_ambiguous_characters_are_marked() {
        // 乾隆 by phrase stays 乾隆; 乾 alone would be 干.
        let html = mark_converted("乾隆乾燥", "乾隆干燥", "乾隆干燥", "干隆干燥");
        assert!(
            html.starts_with("<mark class=\"phrase\" title=\"逐字：干\">乾</mark>隆"),
            "{html}"
        );
        assert!(
            html.contains("<mark class=\"ambiguous\" title=\"原文：乾\">干</mark>燥"),
            "{html}"
        );
    }

    #[test]
    fn unaligned_text_is_shown_unmarked() {
        assert_eq!(mark_converted("的士", "出租车", "的士", "的士"), "出租车");
    }
}
