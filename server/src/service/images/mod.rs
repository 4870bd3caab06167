//! Checking and shrinking images. Nothing about an upload is trusted: the
//! format is sniffed from the bytes, the header's dimensions are checked
//! before a single pixel is decoded, and decoding runs under memory limits,
//! so a truncated file, a renamed document or a decompression bomb is
//! refused with a clear code and nothing is stored.

mod gate;
mod whole;

pub use gate::ImageGate;

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use messenger_shared::error::ErrorCode;
use messenger_shared::user::AvatarSize;

use crate::error::ApiError;
use whole::complete_image;

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 320;

/// How large an image may be.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// Largest file, in bytes (after base64 decoding).
    pub max_bytes: usize,
    /// Most pixels (width × height) of the decoded image.
    pub max_pixels: u64,
    /// Most pixels of the image as stored and sent to the recipient; a
    /// larger one is scaled down to fit (a 150 KB PNG can decode to
    /// 40 megapixels, which no recipient should have to download).
    pub max_stored_pixels: u64,
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

/// The bytes of an image sent as base64, refused when they are more than
/// the limits allow (before they are decoded, where the length tells).
pub fn decode_base64(base64_data: &str, limits: ImageLimits) -> Result<Vec<u8>, ApiError> {
    if base64_data.len() / 4 * 3 > limits.max_bytes + 3 {
        return Err(too_large_bytes(limits));
    }
    let bytes = STANDARD
        .decode(base64_data.trim())
        .map_err(|_| ApiError::new(ErrorCode::InvalidImage, "the image data is not base64"))?;
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(limits));
    }
    Ok(bytes)
}

/// Checks an uploaded image and makes its thumbnail; a picture over
/// `max_stored_pixels` is scaled down, one carrying metadata re-encoded.
/// CPU-heavy: run it through an [`ImageGate`].
pub fn check(bytes: Vec<u8>, limits: ImageLimits) -> Result<CheckedImage, ApiError> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(limits));
    }
    let (format, mime, bytes) = sniff(bytes)?;
    let (width, height) = dimensions(&bytes, format, limits)?;
    let mut decoder = reader(&bytes, format, limits)
        .into_decoder()
        .map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let metadata = carries_metadata(&mut decoder);
    let mut decoded = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    decoded.apply_orientation(orientation);

    let (thumb_mime, thumbnail, thumb_width, thumb_height) = make_thumbnail(&decoded)?;
    let (mime, original, width, height) =
        if u64::from(width) * u64::from(height) > limits.max_stored_pixels {
            let smaller = scale_down(&decoded, limits.max_stored_pixels);
            // The full-size pixels are the most memory an upload holds:
            // let them go before the smaller copy is encoded.
            drop(decoded);
            encode(&smaller, 90)?
        } else if metadata {
            // A photo tells where and when it was taken, and with what (a
            // student's photo from home gives their address away): it is
            // stored from its pixels alone, turned the way it was shown.
            encode(&decoded, 92)?
        } else {
            (mime, bytes, width, height)
        };
    Ok(CheckedImage {
        mime,
        width,
        height,
        original,
        thumb_mime,
        thumb_width,
        thumb_height,
        thumbnail,
    })
}

/// Whether the file carries anything about how, when and where it was
/// taken (EXIF, XMP or IPTC: the camera, the time, GPS coordinates).
fn carries_metadata(decoder: &mut impl ImageDecoder) -> bool {
    let present = |found: image::ImageResult<Option<Vec<u8>>>| {
        found.ok().flatten().is_some_and(|bytes| !bytes.is_empty())
    };
    present(decoder.exif_metadata())
        || present(decoder.xmp_metadata())
        || present(decoder.iptc_metadata())
}

/// The format and type of an upload, sniffed from its bytes, and the
/// bytes of the one whole image they hold.
fn sniff(bytes: Vec<u8>) -> Result<(ImageFormat, &'static str, Vec<u8>), ApiError> {
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
    Ok((format, mime, complete_image(format, bytes)?))
}

/// The size the header declares, refused before any pixel is decoded
/// when it is over the limit.
fn dimensions(
    bytes: &[u8],
    format: ImageFormat,
    limits: ImageLimits,
) -> Result<(u32, u32), ApiError> {
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
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
    Ok((width, height))
}

/// A reader that stops decoding at the memory the limits allow.
fn reader(bytes: &[u8], format: ImageFormat, limits: ImageLimits) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = Limits::default();
    // Four bytes a pixel plus room for the decoder's own buffers.
    decode_limits.max_alloc = Some(limits.max_pixels * 4 + 64 * 1024 * 1024);
    reader.limits(decode_limits);
    reader
}

/// An avatar ready to store: a square of [`AvatarSize::Full`] and one of
/// [`AvatarSize::Thumb`], both of type `mime`.
#[derive(Debug)]
pub struct AvatarImages {
    pub mime: &'static str,
    pub image: Vec<u8>,
    pub thumbnail: Vec<u8>,
}

/// Turns an uploaded picture into an avatar: checked like any image, turned
/// upright as its EXIF orientation says, the centre square cut out and
/// scaled to the two sizes. Re-encoding drops every piece of metadata (a
/// phone photo's EXIF carries where it was taken). CPU-heavy: call it on
/// the blocking pool.
pub fn avatar(bytes: Vec<u8>, limits: ImageLimits) -> Result<AvatarImages, ApiError> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large_bytes(limits));
    }
    let (format, _, bytes) = sniff(bytes)?;
    dimensions(&bytes, format, limits)?;
    let mut decoder = reader(&bytes, format, limits)
        .into_decoder()
        .map_err(decode_error)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    picture.apply_orientation(orientation);

    let side = picture.width().min(picture.height());
    let square = picture.crop_imm(
        (picture.width() - side) / 2,
        (picture.height() - side) / 2,
        side,
        side,
    );
    let filter = image::imageops::FilterType::Lanczos3;
    let full_side = AvatarSize::Full.side();
    let full = square.resize_exact(full_side, full_side, filter);
    let thumb_side = AvatarSize::Thumb.side();
    let thumb = full.resize_exact(thumb_side, thumb_side, filter);
    let transparent = has_transparency(&full);
    let (mime, image) = encode_as(&full, transparent, 90)?;
    let (_, thumbnail) = encode_as(&thumb, transparent, 90)?;
    Ok(AvatarImages {
        mime,
        image,
        thumbnail,
    })
}

/// PNG when `png`, JPEG of `jpeg_quality` otherwise.
fn encode_as(
    image: &DynamicImage,
    png: bool,
    jpeg_quality: u8,
) -> Result<(&'static str, Vec<u8>), ApiError> {
    let mut out = Cursor::new(Vec::new());
    if png {
        image
            .write_to(&mut out, ImageFormat::Png)
            .map_err(ApiError::internal)?;
        Ok(("image/png", out.into_inner()))
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut out, jpeg_quality);
        match image {
            // Written as they are: a copy of a large picture costs memory.
            DynamicImage::ImageRgb8(_) | DynamicImage::ImageLuma8(_) => {
                image.write_with_encoder(encoder)
            }
            _ => image.to_rgb8().write_with_encoder(encoder),
        }
        .map_err(ApiError::internal)?;
        Ok(("image/jpeg", out.into_inner()))
    }
}

/// A re-encoded picture: its type, bytes and size.
type Encoded = (&'static str, Vec<u8>, u32, u32);

/// A copy whose longest side is at most [`THUMB_SIDE`].
fn make_thumbnail(image: &DynamicImage) -> Result<Encoded, ApiError> {
    let small = if image.width() <= THUMB_SIDE && image.height() <= THUMB_SIDE {
        image.clone()
    } else {
        image.thumbnail(THUMB_SIDE, THUMB_SIDE)
    };
    encode(&small, 80)
}

/// The largest copy with at most `max_pixels` pixels, of the same shape.
/// Each pixel of the copy is the average of the pixels it covers: a
/// filtered resize would first build a float copy four times the size of
/// the picture (405 MiB for 40 megapixels), this builds only the result.
fn scale_down(image: &DynamicImage, max_pixels: u64) -> DynamicImage {
    let pixels = u64::from(image.width()) * u64::from(image.height());
    let scale = (max_pixels as f64 / pixels as f64).sqrt();
    let fit = |side: u32| ((f64::from(side) * scale).floor() as u32).max(1);
    image.thumbnail_exact(fit(image.width()), fit(image.height()))
}

/// PNG when the picture has transparency, JPEG of `jpeg_quality` otherwise.
fn encode(image: &DynamicImage, jpeg_quality: u8) -> Result<Encoded, ApiError> {
    let (mime, bytes) = encode_as(image, has_transparency(image), jpeg_quality)?;
    Ok((mime, bytes, image.width(), image.height()))
}

/// Whether any pixel is not fully opaque (GIFs and many PNGs decode with
/// an alpha channel that they do not use).
fn has_transparency(image: &DynamicImage) -> bool {
    // Looked at in place where the pixels are 8-bit: a converted copy of a
    // large picture would cost as much memory as the picture.
    match image {
        DynamicImage::ImageRgba8(pixels) => pixels.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA8(pixels) => pixels.pixels().any(|p| p.0[1] < u8::MAX),
        other => other.color().has_alpha() && other.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
    }
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

    /// An upload as a message carries it: base64, decoded, then checked.
    fn check_upload(base64_data: &str, limits: ImageLimits) -> Result<CheckedImage, ApiError> {
        check(decode_base64(base64_data, limits)?, limits)
    }

    const LIMITS: ImageLimits = ImageLimits {
        max_bytes: 1024 * 1024,
        max_pixels: 4_000_000,
        max_stored_pixels: 4_000_000,
    };

    fn raw(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    /// A photo-like picture: smooth gradients, so that JPEG has real
    /// entropy-coded data to cut in half.
    fn photo(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([
                (x * 7 % 256) as u8,
                (y * 3 % 256) as u8,
                ((x ^ y) % 256) as u8,
            ])
        }))
    }

    #[test]
    fn the_first_half_of_a_jpeg_is_refused_as_incomplete() {
        let whole = raw(&photo(400, 300), ImageFormat::Jpeg);
        assert!(check_upload(&STANDARD.encode(&whole), LIMITS).is_ok());
        let half = &whole[..whole.len() / 2];
        let err = check_upload(&STANDARD.encode(half), LIMITS).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidImage);
        assert!(err.message.contains("incomplete"), "{}", err.message);
    }

    #[test]
    fn a_truncated_png_webp_or_bmp_is_refused() {
        for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Bmp] {
            let whole = raw(&photo(64, 64), format);
            let cut = &whole[..whole.len() - 10];
            let err = check_upload(&STANDARD.encode(cut), LIMITS).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidImage, "{format:?}");
        }
    }

    #[test]
    fn a_png_with_something_behind_it_is_refused() {
        let mut polyglot = raw(&photo(32, 32), ImageFormat::Png);
        polyglot.extend_from_slice(b"PK\x03\x04<html><script>alert(1)</script></html>");
        let err = check_upload(&STANDARD.encode(&polyglot), LIMITS).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidImage);
        assert!(err.message.contains("after the image"), "{}", err.message);
    }

    #[test]
    fn what_a_phone_appends_to_a_jpeg_is_cut_off_not_stored() {
        let whole = raw(&photo(64, 64), ImageFormat::Jpeg);
        let mut with_video = whole.clone();
        with_video.extend_from_slice(b"....ftypmp42 motion photo video");
        let checked = check_upload(&STANDARD.encode(&with_video), LIMITS).expect("accepted");
        assert_eq!(checked.original, whole);
    }

    #[test]
    fn an_image_over_the_stored_limit_is_stored_scaled_down_to_fit() {
        let limits = ImageLimits {
            max_stored_pixels: 250_000,
            ..LIMITS
        };
        let big = photo(1000, 600);
        let checked = check_upload(&encoded(&big, ImageFormat::Png), limits).expect("accepted");
        assert!(
            u64::from(checked.width) * u64::from(checked.height) <= 250_000,
            "{}x{}",
            checked.width,
            checked.height
        );
        assert_eq!((checked.width, checked.height), (645, 387));
        assert_eq!(checked.mime, "image/jpeg");
        let stored = image::load_from_memory(&checked.original).expect("decodes");
        assert_eq!((stored.width(), stored.height()), (645, 387));
        // Within the limit, the bytes are kept as sent.
        let small = raw(&photo(100, 60), ImageFormat::Png);
        let checked = check_upload(&STANDARD.encode(&small), limits).expect("accepted");
        assert_eq!(checked.original, small);
    }

    fn encoded(image: &DynamicImage, format: ImageFormat) -> String {
        STANDARD.encode(raw(image, format))
    }

    /// A JPEG as a phone writes it: an EXIF segment right after the start,
    /// with the orientation (6: turn 90° clockwise to show) and a GPS
    /// latitude.
    fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
        let plain = raw(&photo(width, height), ImageFormat::Jpeg);
        // TIFF, big-endian: IFD0 holds Orientation and a pointer to the GPS
        // IFD, which holds GPSLatitudeRef "N".
        let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&[0, 2]);
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 1]);
        tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend_from_slice(&tiff);
        let length = u16::try_from(segment.len() + 2).expect("short");
        let mut file = plain[..2].to_vec();
        file.extend_from_slice(&[0xFF, 0xE1]);
        file.extend_from_slice(&length.to_be_bytes());
        file.extend_from_slice(&segment);
        file.extend_from_slice(&plain[2..]);
        file
    }

    #[test]
    fn a_photo_is_stored_without_where_and_when_it_was_taken() {
        let file = jpeg_with_gps(64, 32);
        let mut decoder = ImageReader::with_format(Cursor::new(&file), ImageFormat::Jpeg)
            .into_decoder()
            .expect("decoder");
        assert!(carries_metadata(&mut decoder), "the sample carries EXIF");
        assert_eq!(decoder.orientation().ok(), Some(Orientation::Rotate90));

        let checked = check_upload(&STANDARD.encode(&file), LIMITS).expect("accepted");
        let mut stored = ImageReader::new(Cursor::new(&checked.original))
            .with_guessed_format()
            .expect("format")
            .into_decoder()
            .expect("decoder");
        assert!(
            !carries_metadata(&mut stored),
            "no EXIF, XMP or IPTC is kept"
        );
        assert!(
            !checked.original.windows(4).any(|w| w == b"Exif"),
            "not a byte of it"
        );
        // Turned the way it was shown, picture and thumbnail alike.
        assert_eq!((checked.width, checked.height), (32, 64));
        assert_eq!((checked.thumb_width, checked.thumb_height), (32, 64));
        let original = image::load_from_memory(&checked.original).expect("decodes");
        assert_eq!((original.width(), original.height()), (32, 64));
    }

    #[test]
    fn a_picture_without_metadata_is_stored_byte_for_byte() {
        let file = raw(&photo(64, 32), ImageFormat::Jpeg);
        let checked = check_upload(&STANDARD.encode(&file), LIMITS).expect("accepted");
        assert_eq!(checked.original, file);
    }

    #[test]
    fn a_large_photo_gets_a_jpeg_thumbnail_that_keeps_its_shape() {
        let photo = DynamicImage::new_rgb8(1200, 600);
        let checked = check_upload(&encoded(&photo, ImageFormat::Png), LIMITS).expect("accepted");
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
        let checked = check_upload(&encoded(&icon, ImageFormat::Png), LIMITS).expect("accepted");
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
        let checked = check_upload(&encoded(&opaque, ImageFormat::Png), LIMITS).expect("accepted");
        assert_eq!(checked.thumb_mime, "image/jpeg");
    }

    #[test]
    fn an_avatar_is_the_centre_square_in_two_sizes_keeping_transparency() {
        // Wide: red, green, blue thirds; the centre square is the green one.
        let wide = DynamicImage::ImageRgb8(image::RgbImage::from_fn(300, 100, |x, _| match x {
            0..100 => image::Rgb([255, 0, 0]),
            100..200 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        }));
        let square = avatar(raw(&wide, ImageFormat::Png), LIMITS).expect("an avatar");
        assert_eq!(square.mime, "image/jpeg");
        let full = image::load_from_memory(&square.image)
            .expect("decodes")
            .to_rgb8();
        assert_eq!(full.dimensions(), (256, 256));
        for (x, y) in [(5, 5), (250, 128), (128, 250)] {
            let p = full.get_pixel(x, y).0;
            assert!(
                p[1] > 200 && p[0] < 60 && p[2] < 60,
                "green at {x},{y}: {p:?}"
            );
        }
        let thumb = image::load_from_memory(&square.thumbnail).expect("decodes");
        assert_eq!((thumb.width(), thumb.height()), (64, 64));

        let see_through = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            50,
            80,
            image::Rgba([10, 20, 30, 0]),
        ));
        let clear = avatar(raw(&see_through, ImageFormat::Png), LIMITS).expect("an avatar");
        assert_eq!(clear.mime, "image/png");
    }

    #[test]
    fn an_avatar_of_a_gif_is_its_first_frame_and_a_bomb_is_refused_unread() {
        let gif = raw(&photo(40, 40), ImageFormat::Gif);
        assert!(avatar(gif, LIMITS).is_ok());
        let mut bomb = raw(&photo(1, 1), ImageFormat::Png);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let refused = avatar(bomb, LIMITS).expect_err("refused");
        // The header is checked before anything is decoded (the CRC is
        // not even looked at).
        assert!(
            matches!(
                refused.code,
                ErrorCode::ImageTooLarge | ErrorCode::InvalidImage
            ),
            "{:?}",
            refused.code
        );
        let page = b"<html><body>hello</body></html>".to_vec();
        assert_eq!(
            avatar(page, LIMITS).expect_err("refused").code,
            ErrorCode::InvalidImage
        );
    }

    #[test]
    fn a_tiff_is_an_unsupported_format() {
        let tiff_header = STANDARD.encode(b"II*\0\x08\0\0\0\0\0");
        let err = check_upload(&tiff_header, LIMITS).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsupportedImageFormat);
    }

    #[test]
    fn oversized_data_is_refused_before_decoding() {
        let big = "A".repeat(2 * 1024 * 1024);
        assert_eq!(
            check_upload(&big, LIMITS).unwrap_err().code,
            ErrorCode::ImageTooLarge
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// The signatures the sniffer knows, so that arbitrary bytes reach
        /// each decoder and not only the first refusal.
        fn magic() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                Just(Vec::new()),
                Just(b"\x89PNG\r\n\x1a\n".to_vec()),
                Just(vec![0xFF, 0xD8, 0xFF, 0xE0]),
                Just(b"GIF89a".to_vec()),
                Just(b"BM".to_vec()),
                Just(b"RIFF\0\0\0\0WEBPVP8 ".to_vec()),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Any upload is an image or a refusal with an image code:
            /// never a panic, never a stored picture over the limits.
            #[test]
            fn any_upload_is_checked_or_refused(
                head in magic(),
                body in proptest::collection::vec(any::<u8>(), 0..2048),
            ) {
                let mut bytes = head;
                bytes.extend(body);
                match check_upload(&STANDARD.encode(&bytes), LIMITS) {
                    Ok(image) => {
                        prop_assert!(u64::from(image.width) * u64::from(image.height) <= LIMITS.max_stored_pixels);
                        prop_assert!(image.thumb_width <= THUMB_SIDE && image.thumb_height <= THUMB_SIDE);
                    }
                    Err(err) => prop_assert!(matches!(
                        err.code,
                        ErrorCode::InvalidImage | ErrorCode::UnsupportedImageFormat | ErrorCode::ImageTooLarge
                    ), "{err:?}"),
                }
            }

            /// A real picture of any size within the limits is accepted
            /// with its shape, in each format.
            #[test]
            fn real_pictures_round_trip(
                width in 1u32..300,
                height in 1u32..300,
                format in prop_oneof![Just(ImageFormat::Png), Just(ImageFormat::Jpeg),
                                      Just(ImageFormat::Gif), Just(ImageFormat::Bmp)],
            ) {
                let bytes = raw(&photo(width, height), format);
                let image = check_upload(&STANDARD.encode(&bytes), LIMITS).expect("accepted");
                prop_assert_eq!((image.width, image.height), (width, height));
            }
        }
    }
}
