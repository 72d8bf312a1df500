//! The Mandelbrot escape-time kernel behind the cores lab.
//!
//! Chosen because its cost per row is very uneven (rows through the set run to the
//! iteration limit, rows outside escape at once), which is what makes static splitting
//! lose to dynamic work sharing. Pure and deterministic: the same view gives the same
//! image and checksum on any number of threads, natively or in wasm.

use serde::{Deserialize, Serialize};

/// The region of the complex plane to render and at what detail.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
    pub center_re: f64,
    pub center_im: f64,
    /// Width of the rendered region in the complex plane.
    pub span_re: f64,
}

impl View {
    /// The classic full view of the set at the given size.
    pub fn classic(width: u32, height: u32, max_iter: u32) -> View {
        View {
            width,
            height,
            max_iter,
            center_re: -0.65,
            center_im: 0.0,
            span_re: 3.2,
        }
    }

    /// Number of pixels; the length of an image buffer for this view.
    pub fn pixels(&self) -> usize {
        self.width as usize * self.height as usize
    }
}

/// Renders row `y` into `out` (length `width`), storing the escape iteration of each
/// pixel (`max_iter` for points in the set). Returns the row's total iterations, which is
/// both its cost and its contribution to the image checksum.
pub fn render_row(view: &View, y: u32, out: &mut [u32]) -> u64 {
    debug_assert_eq!(out.len(), view.width as usize);
    let step = view.span_re / f64::from(view.width);
    let im = view.center_im + (f64::from(y) - f64::from(view.height) / 2.0) * step;
    let left = view.center_re - view.span_re / 2.0;
    let mut total = 0u64;
    for (x, slot) in out.iter_mut().enumerate() {
        let re = left + x as f64 * step;
        let iterations = escape_time(re, im, view.max_iter);
        *slot = iterations;
        total += u64::from(iterations);
    }
    total
}

/// Iterations until z = z² + c leaves the radius-2 disc, capped at `max_iter`.
#[inline]
pub fn escape_time(c_re: f64, c_im: f64, max_iter: u32) -> u32 {
    let (mut re, mut im) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < max_iter {
        let re2 = re * re;
        let im2 = im * im;
        if re2 + im2 > 4.0 {
            break;
        }
        im = 2.0 * re * im + c_im;
        re = re2 - im2 + c_re;
        i += 1;
    }
    i
}

/// Renders the whole view on the calling thread; the sequential reference.
pub fn render_all(view: &View) -> (Vec<u32>, u64) {
    let mut image = vec![0u32; view.pixels()];
    let mut checksum = 0;
    for (y, row) in image.chunks_mut(view.width as usize).enumerate() {
        checksum += render_row(view, y as u32, row);
    }
    (image, checksum)
}

/// RGBA colour of a pixel: black inside the set, a smooth blue-to-amber ramp outside.
pub fn colour(iterations: u32, max_iter: u32) -> [u8; 4] {
    if iterations >= max_iter {
        return [12, 14, 22, 255];
    }
    let t = (f64::from(iterations) / f64::from(max_iter.max(1))).sqrt();
    let r = (255.0 * (1.6 * t).min(1.0)) as u8;
    let g = (255.0 * t * 0.85) as u8;
    let b = (120.0 + 135.0 * (1.0 - t)) as u8;
    [r, g, b, 255]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points_escape_as_expected() {
        assert_eq!(escape_time(0.0, 0.0, 500), 500, "origin is in the set");
        assert_eq!(
            escape_time(-1.0, 0.0, 500),
            500,
            "period-2 point is in the set"
        );
        assert_eq!(
            escape_time(2.0, 2.0, 500),
            1,
            "far point escapes after one step"
        );
    }

    #[test]
    fn rows_have_very_uneven_cost() {
        let view = View::classic(200, 100, 300);
        let mut row = vec![0; 200];
        let edge = render_row(&view, 0, &mut row);
        let middle = render_row(&view, 50, &mut row);
        assert!(middle > 10 * edge, "middle {middle} vs edge {edge}");
    }

    #[test]
    fn checksum_is_the_sum_of_the_image() {
        let view = View::classic(64, 40, 100);
        let (image, checksum) = render_all(&view);
        assert_eq!(image.len(), 64 * 40);
        assert_eq!(checksum, image.iter().map(|&i| u64::from(i)).sum::<u64>());
    }

    #[test]
    fn colour_is_opaque_and_inside_is_dark() {
        assert_eq!(colour(100, 100), [12, 14, 22, 255]);
        assert_eq!(colour(0, 100)[3], 255);
        assert_eq!(colour(0, 0), [12, 14, 22, 255]);
    }
}
