//! Where image work waits its turn. Decoding is what an upload costs: a
//! PNG of a few hundred KiB can hold 40 megapixels, 160 MiB once decoded.
//! The gate lets images be worked on with one core fewer than the server
//! has (the rest keep answering everyone else), and never lets the images
//! at work together need more memory than the largest image allowed
//! needs alone: small photos go side by side, a huge one waits for room.

use std::io::Cursor;

use image::ImageReader;
use tokio::sync::Semaphore;

use super::ImageLimits;
use crate::error::ApiError;

pub struct ImageGate {
    limits: ImageLimits,
    /// Images worked on at once.
    slots: Semaphore,
    /// KiB of decoded pixels that images at work may hold together.
    memory: Semaphore,
}

impl ImageGate {
    pub fn new(limits: ImageLimits, cores: usize) -> ImageGate {
        ImageGate {
            limits,
            slots: Semaphore::new(cores.saturating_sub(1).max(1)),
            memory: Semaphore::new(needs_kib(limits.max_pixels, limits) as usize),
        }
    }

    pub fn limits(&self) -> ImageLimits {
        self.limits
    }

    /// Runs `work` on the image `bytes` on the blocking pool, once there
    /// is a slot and memory for as many pixels as the image's header
    /// declares. A header that cannot be read counts as the largest image
    /// allowed (the work itself then refuses the file).
    pub async fn run<T: Send + 'static>(
        &self,
        bytes: Vec<u8>,
        work: impl FnOnce(Vec<u8>, ImageLimits) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let pixels = declared_pixels(&bytes).unwrap_or(self.limits.max_pixels);
        let _memory = self
            .memory
            .acquire_many(needs_kib(pixels, self.limits))
            .await
            .map_err(ApiError::internal)?;
        let _slot = self.slots.acquire().await.map_err(ApiError::internal)?;
        let limits = self.limits;
        tokio::task::spawn_blocking(move || work(bytes, limits))
            .await
            .map_err(ApiError::internal)?
    }
}

/// The pixels (width × height) an image's header declares, read without
/// decoding any of them.
fn declared_pixels(bytes: &[u8]) -> Option<u64> {
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    Some(u64::from(width) * u64::from(height))
}

/// KiB the work on an image of `pixels` pixels holds at most: the decoded
/// pixels (4 bytes each at 8 bits a channel) and one copy, turned upright
/// or scaled down to what is stored. Over the limit counts as the limit
/// (the work refuses such an image before decoding it).
fn needs_kib(pixels: u64, limits: ImageLimits) -> u32 {
    let pixels = pixels.min(limits.max_pixels);
    let bytes = pixels * 4 + pixels.min(limits.max_stored_pixels) * 4;
    u32::try_from(bytes / 1024).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use image::{DynamicImage, ImageFormat, RgbImage};

    use super::*;

    const LIMITS: ImageLimits = ImageLimits {
        max_bytes: 1024 * 1024,
        max_pixels: 4_000_000,
        max_stored_pixels: 1_000_000,
    };

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(RgbImage::new(width, height))
            .write_to(&mut out, ImageFormat::Png)
            .expect("encode");
        out.into_inner()
    }

    #[test]
    fn the_header_tells_the_pixels_without_decoding() {
        assert_eq!(declared_pixels(&png(300, 200)), Some(60_000));
        assert_eq!(declared_pixels(b"not an image"), None);
    }

    #[test]
    fn the_largest_image_allowed_needs_the_whole_memory() {
        let gate = ImageGate::new(LIMITS, 8);
        assert_eq!(
            gate.memory.available_permits(),
            needs_kib(LIMITS.max_pixels, LIMITS) as usize
        );
        assert_eq!(
            needs_kib(u64::MAX, LIMITS),
            needs_kib(LIMITS.max_pixels, LIMITS)
        );
        // 4 MP decoded and a 1 MP copy.
        assert_eq!(needs_kib(4_000_000, LIMITS), 20_000_000 / 1024);
    }

    #[test]
    fn one_core_is_left_for_everyone_else() {
        assert_eq!(ImageGate::new(LIMITS, 1).slots.available_permits(), 1);
        assert_eq!(ImageGate::new(LIMITS, 2).slots.available_permits(), 1);
        assert_eq!(ImageGate::new(LIMITS, 8).slots.available_permits(), 7);
    }

    /// How many of `images` were worked on at the same moment, at most,
    /// through a gate of 8 cores.
    async fn most_at_once(images: Vec<Vec<u8>>) -> usize {
        let gate = Arc::new(ImageGate::new(LIMITS, 8));
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = Vec::new();
        for bytes in images {
            let (gate, now, most) = (gate.clone(), now.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(bytes, move |_, _| {
                    let working = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(working, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(50));
                    now.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
            }));
        }
        for task in tasks {
            task.await.expect("joined").expect("worked");
        }
        most.load(Ordering::SeqCst)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn images_at_the_pixel_limit_are_decoded_one_at_a_time() {
        let largest = png(2000, 2000);
        assert_eq!(most_at_once(vec![largest; 4]).await, 1);
        // Nor is a file whose header cannot be read let through beside one.
        assert_eq!(
            most_at_once(vec![png(2000, 2000), b"junk".to_vec()]).await,
            1
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn small_images_are_decoded_side_by_side() {
        assert!(most_at_once(vec![png(400, 300); 4]).await > 1);
    }
}
