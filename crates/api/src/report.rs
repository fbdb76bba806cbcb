//! The progress report: everything `stats` computes as one self-contained
//! HTML page (inline CSS and SVG charts, no script, no request: its own
//! Content-Security-Policy forbids both), for sharing or keeping.

use std::fmt::Write as _;
use std::io::Write;

use notedeck_core::markdown::render::{escape_attr, escape_text};

use crate::error::{ApiError, ErrorCode};
use crate::stats::{DayCountDto, PeriodRetentionDto, StatsDto};
use crate::ApiResult;

/// The page's colours: the app's light theme.
const MUTED: &str = "#60656d";
const GRID: &str = "#e6e2d9";
const ACCENT: &str = "#2c6a59";
const BLUE: &str = "#2c6591";
const AMBER: &str = "#9a6210";

/// Writes the report for `stats` to `out`; returns its size in bytes.
pub fn write_html(stats: &StatsDto, out: &mut dyn Write) -> ApiResult<u64> {
    let page = page(stats);
    out.write_all(page.as_bytes())
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot write the report: {e}")))?;
    Ok(page.len() as u64)
}

/// The whole page.
pub fn page(stats: &StatsDto) -> String {
    let mut scope = stats
        .deck
        .as_deref()
        .map_or("All decks".to_owned(), |d| d.replace("::", " › "));
    if let Some(tag) = &stats.tag {
        scope.push_str(&format!(" · tag #{tag}"));
    }
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>notedeck progress report · {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <header><h1>Progress report</h1><p class=\"lede\">{title} · {from} to {today} ({days} days) · made by notedeck</p></header>\n",
        title = escape_text(&scope),
        from = escape_text(&stats.from),
        today = escape_text(&stats.today),
        days = stats.days_in_range,
    );
    summary(&mut html, stats);
    section(
        &mut html,
        "Answers per day",
        &bars(&daily_reviews(stats), ACCENT, "answers"),
    );
    section(
        &mut html,
        "Retention per week",
        &retention_chart(&stats.retention_weekly),
    );
    section(
        &mut html,
        "Due in the next 30 days",
        &bars(&counts(&stats.forecast_days), BLUE, "cards due"),
    );
    section(
        &mut html,
        "Intervals of learned cards",
        &bars(
            &stats
                .intervals
                .iter()
                .map(|b| (b.label.clone(), b.count))
                .collect::<Vec<_>>(),
            AMBER,
            "cards",
        ),
    );
    if let Some(fsrs) = &stats.fsrs {
        fsrs_sections(&mut html, fsrs);
    }
    decks_table(&mut html, stats);
    hardest_table(&mut html, stats);
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

const STYLE: &str = "body{margin:0;background:#f5f3ee;color:#23262b;font:16px/1.5 system-ui,-apple-system,'Segoe UI','Noto Sans',sans-serif}\
main{max-width:56rem;margin:0 auto;padding:2rem 1.2rem}h1{margin:0;font-size:1.9rem}h2{font-size:1.1rem;margin:0 0 .8rem}\
.lede{color:#60656d;margin:.3rem 0 1.5rem}section{background:#fffdf9;border:1px solid #dcd7cb;border-radius:12px;padding:1.1rem 1.3rem;margin:0 0 1.2rem}\
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.8rem 1.2rem;margin:0}\
dl.facts dt{color:#60656d;font-size:.85rem}dl.facts dd{margin:0;font-size:1.5rem;font-weight:650}\
table{width:100%;border-collapse:collapse;font-size:.92rem}th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #e6e2d9}\
th{color:#60656d;font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
svg{display:block;width:100%;height:auto}.empty{color:#60656d}";

/// Under FSRS: recall today, predicted against actual retention, and the
/// cards by stability and by recall today.
fn fsrs_sections(html: &mut String, fsrs: &crate::FsrsStatsDto) {
    let mut text = format!(
        "<p>Chance of recall today: {} on average (scheduled for {}).",
        percent(fsrs.average_retrievability),
        percent(Some(fsrs.desired_retention))
    );
    if fsrs.answers_compared > 0 {
        let _ = write!(
            text,
            " Over this range FSRS predicted {} recall and {} was recalled, of {} answers.",
            percent(fsrs.predicted_retention),
            percent(fsrs.actual_retention),
            fsrs.answers_compared
        );
    }
    text.push_str("</p>");
    section(html, "FSRS", &text);
    let pairs = |buckets: &[crate::BucketDto]| -> Vec<(String, i64)> {
        buckets.iter().map(|b| (b.label.clone(), b.count)).collect()
    };
    section(
        html,
        "Stability (how long memories last)",
        &bars(&pairs(&fsrs.stability), BLUE, "cards"),
    );
    section(
        html,
        "Chance of recall today",
        &bars(&pairs(&fsrs.retrievability), ACCENT, "cards"),
    );
}

fn section(html: &mut String, title: &str, body: &str) {
    let _ = writeln!(
        html,
        "<section><h2>{}</h2>{body}</section>",
        escape_text(title)
    );
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".to_owned(), |r| format!("{:.1} %", r * 100.0))
}

fn summary(html: &mut String, stats: &StatsDto) {
    let c = &stats.cards;
    let minutes = stats.time_ms / 60_000;
    let facts = [
        ("Cards", c.total.to_string()),
        ("New", c.new.to_string()),
        ("Learning", c.learning.to_string()),
        ("Young", c.young.to_string()),
        ("Mature", c.mature.to_string()),
        ("Answers", stats.reviews.to_string()),
        ("Time", format!("{} h {} min", minutes / 60, minutes % 60)),
        ("Retention", percent(stats.retention.all.rate)),
        ("Mature retention", percent(stats.retention.mature.rate)),
        ("Streak", format!("{} days", stats.current_streak)),
        ("Longest streak", format!("{} days", stats.longest_streak)),
    ];
    html.push_str("<section><h2>At a glance</h2><dl class=\"facts\">");
    for (name, value) in facts {
        let _ = write!(
            html,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape_text(name),
            escape_text(&value)
        );
    }
    html.push_str("</dl></section>\n");
}

fn daily_reviews(stats: &StatsDto) -> Vec<(String, i64)> {
    stats
        .days
        .iter()
        .map(|d| (d.date.clone(), d.reviews))
        .collect()
}

fn counts(items: &[DayCountDto]) -> Vec<(String, i64)> {
    items.iter().map(|d| (d.date.clone(), d.count)).collect()
}

/// A bar chart with a title per bar (its label and value) and the first
/// and last labels under the axis.
fn bars(values: &[(String, i64)], colour: &str, unit: &str) -> String {
    if values.iter().all(|(_, v)| *v == 0) {
        return "<p class=\"empty\">Nothing yet.</p>".to_owned();
    }
    let (width, height, bottom) = (800.0_f64, 180.0_f64, 22.0_f64);
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
    let step = width / values.len().max(1) as f64;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} {total}\" role=\"img\" aria-label=\"{unit} ({n} bars, at most {max})\">\
         <line x1=\"0\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" stroke=\"{GRID}\"/>\
         <text x=\"0\" y=\"12\" font-size=\"12\" fill=\"{MUTED}\">{max}</text>",
        total = height + bottom,
        n = values.len(),
        unit = escape_attr(unit),
    );
    for (i, (label, value)) in values.iter().enumerate() {
        let h = (*value as f64 / max) * (height - 16.0);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{colour}\" rx=\"1.5\"><title>{t}: {value} {u}</title></rect>",
            x = i as f64 * step + step * 0.12,
            y = height - h,
            w = (step * 0.76).max(1.0),
            t = escape_text(label),
            u = escape_text(unit),
        );
    }
    if values.len() <= 14 {
        // Few bars: each has its label.
        for (i, (label, _)) in values.iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"11\" fill=\"{MUTED}\" text-anchor=\"middle\">{t}</text>",
                x = (i as f64 + 0.5) * step,
                y = height + 16.0,
                t = escape_text(label),
            );
        }
    } else if let (Some((first, _)), Some((last, _))) = (values.first(), values.last()) {
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{y}\" font-size=\"12\" fill=\"{MUTED}\">{a}</text>\
             <text x=\"{width}\" y=\"{y}\" font-size=\"12\" fill=\"{MUTED}\" text-anchor=\"end\">{b}</text>",
            y = height + 16.0,
            a = escape_text(first),
            b = escape_text(last),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Weekly retention (all learned cards) as a line from 0 to 100 %.
fn retention_chart(weeks: &[PeriodRetentionDto]) -> String {
    let points: Vec<(String, f64)> = weeks
        .iter()
        .filter_map(|w| w.all.rate.map(|r| (w.start.clone(), r)))
        .collect();
    if points.is_empty() {
        return "<p class=\"empty\">No reviews of learned cards yet.</p>".to_owned();
    }
    let (width, height) = (800.0_f64, 160.0_f64);
    let (left, right) = (40.0, width - 10.0);
    let step = if points.len() > 1 {
        (right - left) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let first = if points.len() > 1 {
        left
    } else {
        (left + right) / 2.0
    };
    let xy = |i: usize, r: f64| (first + i as f64 * step, height - r * (height - 20.0));
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, r))| {
            let (x, y) = xy(i, *r);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} {h2}\" role=\"img\" aria-label=\"weekly retention\">\
         <line x1=\"0\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" stroke=\"{GRID}\"/>\
         <line x1=\"{left}\" y1=\"{mid}\" x2=\"{width}\" y2=\"{mid}\" stroke=\"{GRID}\" stroke-dasharray=\"4 4\"/>\
         <text x=\"0\" y=\"{mid_t}\" font-size=\"12\" fill=\"{MUTED}\">90 %</text>\
         <text x=\"0\" y=\"24\" font-size=\"12\" fill=\"{MUTED}\">100 %</text>\
         <text x=\"0\" y=\"{height}\" font-size=\"12\" fill=\"{MUTED}\">0 %</text>\
         <polyline fill=\"none\" stroke=\"{ACCENT}\" stroke-width=\"2.5\" points=\"{points}\"/>",
        h2 = height + 20.0,
        mid = height - 0.9 * (height - 20.0),
        mid_t = height - 0.9 * (height - 20.0) + 4.0,
        points = path.join(" "),
    );
    for (i, (start, r)) in points.iter().enumerate() {
        let (x, y) = xy(i, *r);
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{ACCENT}\"><title>week of {}: {}</title></circle>",
            escape_text(start),
            percent(Some(*r))
        );
    }
    svg.push_str("</svg>");
    svg
}

fn decks_table(html: &mut String, stats: &StatsDto) {
    if stats.decks.is_empty() {
        return;
    }
    html.push_str(
        "<section><h2>Decks</h2><table><thead><tr><th>Deck</th><th class=\"num\">Cards</th>\
         <th class=\"num\">New</th><th class=\"num\">Mature</th><th class=\"num\">Answers</th>\
         <th class=\"num\">Retention</th></tr></thead><tbody>",
    );
    for d in &stats.decks {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape_text(&d.deck.replace("::", " › ")),
            d.cards.total,
            d.cards.new,
            d.cards.mature,
            d.reviews,
            percent(d.retention.rate)
        );
    }
    html.push_str("</tbody></table></section>\n");
}

fn hardest_table(html: &mut String, stats: &StatsDto) {
    let rows: Vec<_> = stats.leeches.iter().chain(&stats.hardest).collect();
    if rows.is_empty() {
        return;
    }
    html.push_str(
        "<section><h2>Hardest cards and leeches</h2><table><thead><tr><th>Card</th><th>Deck</th>\
         <th class=\"num\">Lapses</th><th class=\"num\">E-Factor</th><th>Leech</th></tr></thead><tbody>",
    );
    let mut seen = std::collections::HashSet::new();
    for card in rows {
        if !seen.insert(card.id.as_str()) {
            continue;
        }
        let heading = card.heading_path.join(" › ");
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}</td></tr>",
            escape_text(if heading.is_empty() { &card.deck } else { &heading }),
            escape_text(&card.deck.replace("::", " › ")),
            card.lapses,
            card.ease_factor,
            if card.leech { "yes" } else { "" }
        );
    }
    html.push_str("</tbody></table></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_escape_their_labels_and_hold_no_script() {
        let svg = bars(
            &[("<script>".to_owned(), 3), ("b".to_owned(), 1)],
            ACCENT,
            "answers",
        );
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script"));
        assert_eq!(
            bars(&[("a".to_owned(), 0)], ACCENT, "x"),
            "<p class=\"empty\">Nothing yet.</p>"
        );
    }
}
