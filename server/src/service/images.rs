//! Checking and shrinking images. Nothing about an upload is trusted: the
//! format is sniffed from the bytes, the header's dimensions are checked
//! before a single pixel is decoded, and decoding runs under memory limits,
//! so a truncated file, a renamed document or a decompression bomb is
//! refused with a clear code and nothing is stored.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};
use messenger_shared::error::ErrorCode;

use crate::error::ApiError;

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 320;

/// How large an image may be.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// Largest file, in bytes (after base64 decoding).
    pub max_bytes: usize,
    /// Most pixels (width × height) of the decoded image.
    pub max_pixels: u64,
}

/// A checked image with its thumbnail, ready to store.
#[derive(Debug)]
pub struct CheckedImage {
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    pub original: Vec<u8>,
    pub thumb_mime: &'static str,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub thumbnail: Vec<u8>,
}

/// Decodes, checks and thumbnails an uploaded image. CPU-heavy: call it on
/// the blocking pool.
pub fn check(base64_data: &str, limits: ImageLimits) -> Result<CheckedImage, ApiError> {
    // Refuse an oversized upload before spending memory on decoding it.
    if base64_data.len() / 4 * 3 > limits.max_bytes + 3 {
        return Err(too_large_bytes(limits));
    }
    let bytes = STANDARD
        .decode(base64_data.trim())
        .map_err(|_| ApiError::new(ErrorCode::InvalidImage, "the image data is not base64"))?;
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(limits));
    }
    let format = image::guess_format(&bytes)
        .map_err(|_| ApiError::new(ErrorCode::InvalidImage, "the file is not an image"))?;
    let mime = match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Gif => "image/gif",
        ImageFormat::Bmp => "image/bmp",
        ImageFormat::WebP => "image/webp",
        other => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedImageFormat,
                format!("{other:?} images are not accepted; send PNG, JPEG, GIF, BMP or WebP"),
            ));
        }
    };

    let (width, height) = ImageReader::with_format(Cursor::new(&bytes), format)
        .into_dimensions()
        .map_err(decode_error)?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ApiError::new(
            ErrorCode::ImageTooLarge,
            format!(
                "the image has {width}×{height} pixels; at most {} megapixels are accepted",
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format);
    let mut decode_limits = Limits::default();
    // Four bytes a pixel plus room for the decoder's own buffers.
    decode_limits.max_alloc = Some(limits.max_pixels * 4 + 64 * 1024 * 1024);
    reader.limits(decode_limits);
    let decoded = reader.decode().map_err(decode_error)?;

    let (thumb_mime, thumbnail, thumb_width, thumb_height) = make_thumbnail(&decoded)?;
    Ok(CheckedImage {
        mime,
        width,
        height,
        original: bytes,
        thumb_mime,
        thumb_width,
        thumb_height,
        thumbnail,
    })
}

/// A copy whose longest side is at most [`THUMB_SIDE`]: JPEG, or PNG when
/// the image has transparency.
fn make_thumbnail(image: &DynamicImage) -> Result<(&'static str, Vec<u8>, u32, u32), ApiError> {
    let small = if image.width() <= THUMB_SIDE && image.height() <= THUMB_SIDE {
        image.clone()
    } else {
        image.thumbnail(THUMB_SIDE, THUMB_SIDE)
    };
    let mut out = Cursor::new(Vec::new());
    let mime = if has_transparency(&small) {
        small
            .write_to(&mut out, ImageFormat::Png)
            .map_err(ApiError::internal)?;
        "image/png"
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut out, 80);
        small
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(ApiError::internal)?;
        "image/jpeg"
    };
    Ok((mime, out.into_inner(), small.width(), small.height()))
}

/// Whether any pixel is not fully opaque (GIFs and many PNGs decode with
/// an alpha channel that they do not use).
fn has_transparency(image: &DynamicImage) -> bool {
    image.color().has_alpha() && image.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX)
}

fn decode_error(err: ImageError) -> ApiError {
    match err {
        ImageError::Limits(_) => ApiError::new(
            ErrorCode::ImageTooLarge,
            "the image needs more memory to decode than the server allows",
        ),
        ImageError::Unsupported(_) => ApiError::new(
            ErrorCode::UnsupportedImageFormat,
            "this kind of image is not supported",
        ),
        _ => ApiError::new(
            ErrorCode::InvalidImage,
            "the image is damaged or incomplete",
        ),
    }
}

fn too_large_bytes(limits: ImageLimits) -> ApiError {
    ApiError::new(
        ErrorCode::ImageTooLarge,
        format!("images may have at most {} bytes", limits.max_bytes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ImageLimits = ImageLimits {
        max_bytes: 1024 * 1024,
        max_pixels: 4_000_000,
    };

    fn encoded(image: &DynamicImage, format: ImageFormat) -> String {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode");
        STANDARD.encode(out.into_inner())
    }

    #[test]
    fn a_large_photo_gets_a_jpeg_thumbnail_that_keeps_its_shape() {
        let photo = DynamicImage::new_rgb8(1200, 600);
        let checked = check(&encoded(&photo, ImageFormat::Png), LIMITS).expect("accepted");
        assert_eq!((checked.width, checked.height), (1200, 600));
        assert_eq!(checked.mime, "image/png");
        assert_eq!(checked.thumb_mime, "image/jpeg");
        assert_eq!((checked.thumb_width, checked.thumb_height), (320, 160));
        let thumb = image::load_from_memory(&checked.thumbnail).expect("thumbnail decodes");
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
    }

    #[test]
    fn transparency_is_kept_in_a_png_thumbnail() {
        // new_rgba8 is all transparent black.
        let icon = DynamicImage::new_rgba8(64, 64);
        let checked = check(&encoded(&icon, ImageFormat::Png), LIMITS).expect("accepted");
        assert_eq!(checked.thumb_mime, "image/png");
        assert_eq!((checked.thumb_width, checked.thumb_height), (64, 64));
    }

    #[test]
    fn an_opaque_image_with_an_alpha_channel_gets_a_jpeg_thumbnail() {
        let opaque = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            64,
            64,
            image::Rgba([10, 20, 30, 255]),
        ));
        let checked = check(&encoded(&opaque, ImageFormat::Png), LIMITS).expect("accepted");
        assert_eq!(checked.thumb_mime, "image/jpeg");
    }

    #[test]
    fn a_tiff_is_an_unsupported_format() {
        let tiff_header = STANDARD.encode(b"II*\0\x08\0\0\0\0\0");
        let err = check(&tiff_header, LIMITS).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsupportedImageFormat);
    }

    #[test]
    fn oversized_data_is_refused_before_decoding() {
        let big = "A".repeat(2 * 1024 * 1024);
        assert_eq!(
            check(&big, LIMITS).unwrap_err().code,
            ErrorCode::ImageTooLarge
        );
    }
}
