//! `jianfan import` on the shipped articles' raw text: each comes back as
//! the Markdown body the site ships.

use crate::common::{repo, SHIPPED_SLUGS};

fn body_of(slug: &str) -> String {
    let text = std::fs::read_to_string(repo().join(format!("content/{slug}.md"))).expect("article");
    let (_, body) = text
        .trim_start_matches("---\n")
        .split_once("\n---\n")
        .expect("front matter");
    body.trim().to_string()
}

fn imported(slug: &str) -> jianfan::commands::import::Imported {
    let raw = std::fs::read_to_string(repo().join(format!("tests/fixtures/import/{slug}.txt")))
        .expect("fixture");
    jianfan::commands::import::parse(&raw)
}

#[test]
fn every_shipped_article_imports_to_its_body() {
    for slug in SHIPPED_SLUGS {
        let got = imported(slug);
        let want = body_of(slug);
        if got.body != want {
            let diverges = got
                .body
                .chars()
                .zip(want.chars())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let around = |s: &str| {
                s.chars()
                    .skip(diverges.saturating_sub(20))
                    .take(50)
                    .collect::<String>()
            };
            panic!(
                "{slug}: body differs at character {diverges}\n got: {}\nwant: {}",
                around(&got.body),
                around(&want)
            );
        }
    }
}

#[test]
fn headlines_bylines_and_captions_match_the_shipped_front_matter() {
    let cyberport = imported("cyberport-ai-ecosystem");
    assert_eq!(
        cyberport.title.as_deref(),
        Some("打造AI技術生態圈 數碼港「招兵買馬」")
    );
    assert_eq!(
        cyberport.subtitle.as_deref(),
        Some("已吸約260間專門企業進駐 與多家領軍企業簽合作備忘錄")
    );
    assert_eq!(
        cyberport.byline.as_deref(),
        Some("香港文匯報記者 莫楠、黃子龍")
    );
    let greentech = imported("greentech-hub-opens");
    assert_eq!(
        greentech.title.as_deref(),
        Some("匯聚逾200綠色科企 GreenTech Hub開幕")
    );
    assert_eq!(greentech.subtitle, None);
    assert_eq!(greentech.byline.as_deref(), Some("香港文匯報訊"));
    assert_eq!(
        imported("cityu-us-patents").byline.as_deref(),
        Some("香港文匯報訊（記者 高鈺）")
    );
    let hkust = imported("hkust-elastocaloric-cooler");
    assert_eq!(hkust.title, None, "the page lost this headline");
    assert_eq!(hkust.byline.as_deref(), Some("香港文匯報訊（記者 姬文風）"));
    let polyu = imported("polyu-deepseek-forum");
    assert_eq!(
        polyu.caption.as_deref(),
        Some("香港理工大學高等研究院昨日舉辦首場「研究與創新公共論壇」，以「DeepSeek及更遠的未來」為主題。左起：張成奇、楊紅霞、李青。 香港文匯報記者郭木又 攝")
    );
}
