//! The indexing progress bar on stderr; hidden when stderr is not a terminal or with --quiet.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A bar over `files` files showing files done and time left; the caller's
/// message shows articles per second and the file at hand.
pub fn bar(files: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} files · {left} · {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "left",
                |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let left = time_left(state.elapsed(), state.pos(), state.len());
                    let _ = match left {
                        Some(left) => write!(out, "{} left", HumanDuration(left)),
                        None => write!(out, "time left unknown"),
                    };
                },
            )
            .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// How long the rest should take at the average pace so far. Unknown in the
/// first second or before any file is done: the first files also pay for
/// loading the entity model, so an early pace says nothing of the rest.
fn time_left(elapsed: Duration, done: u64, total: Option<u64>) -> Option<Duration> {
    let total = total?;
    if done == 0 || elapsed < Duration::from_secs(1) {
        return None;
    }
    let left = total.saturating_sub(done) as f64;
    Some(elapsed.mul_f64(left / done as f64))
}

/// Moves the bar one file on, with the rate and the file in its message.
pub fn advance(bar: &ProgressBar, done: crate::index::writer::Progress<'_>) {
    bar.set_message(format!(
        "{:.0} articles/s · {}",
        done.rate,
        done.path.display()
    ));
    bar.inc(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_is_unknown_until_a_second_has_passed() {
        assert_eq!(time_left(Duration::from_millis(400), 1, Some(3)), None);
        assert_eq!(time_left(Duration::from_secs(5), 0, Some(3)), None);
        assert_eq!(time_left(Duration::from_secs(5), 1, None), None);
    }

    #[test]
    fn time_left_follows_the_average_pace() {
        let left = time_left(Duration::from_secs(2), 100, Some(300));
        assert_eq!(left, Some(Duration::from_secs(4)));
        assert_eq!(
            time_left(Duration::from_secs(2), 300, Some(300)),
            Some(Duration::ZERO)
        );
    }
}
