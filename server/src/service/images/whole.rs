//! Whether an upload holds one whole image and nothing else, read from the
//! format's own structure.

use image::ImageFormat;
use messenger_shared::error::ErrorCode;

use crate::error::ApiError;

/// Checks that the file holds one whole image and nothing else, where the
/// format's structure says where the image ends (decoders happily show
/// the top half of a truncated JPEG, and a PNG can carry a ZIP or a web
/// page behind it). PNG: the chunks up to `IEND`, nothing after. JPEG: the
/// segments up to `EOI`; what follows (phones append videos and maker
/// data) is cut off rather than stored. WebP and BMP: the length in the
/// header. GIF is left to its decoder.
pub(super) fn complete_image(format: ImageFormat, mut bytes: Vec<u8>) -> Result<Vec<u8>, ApiError> {
    let end = match format {
        ImageFormat::Png => png_end(&bytes),
        ImageFormat::Jpeg => jpeg_end(&bytes),
        ImageFormat::WebP => riff_end(&bytes),
        ImageFormat::Bmp => bmp_end(&bytes),
        _ => Some(bytes.len()),
    };
    let Some(end) = end.filter(|end| *end <= bytes.len()) else {
        return Err(ApiError::new(
            ErrorCode::InvalidImage,
            "the image is incomplete (the file was cut short)",
        ));
    };
    if end < bytes.len() {
        if format == ImageFormat::Jpeg {
            bytes.truncate(end);
        } else {
            return Err(ApiError::new(
                ErrorCode::InvalidImage,
                "the file holds something else after the image",
            ));
        }
    }
    Ok(bytes)
}

fn be_u32(bytes: &[u8], at: usize) -> Option<usize> {
    let word: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    usize::try_from(u32::from_be_bytes(word)).ok()
}

fn le_u32(bytes: &[u8], at: usize) -> Option<usize> {
    let word: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    usize::try_from(u32::from_le_bytes(word)).ok()
}

/// Where the `IEND` chunk ends: 8 bytes of signature, then chunks of
/// length, type, data and CRC.
fn png_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 8;
    loop {
        let length = be_u32(bytes, at)?;
        let kind = bytes.get(at + 4..at + 8)?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        if kind == b"IEND" {
            return Some(end);
        }
        at = end;
    }
}

/// Where the `EOI` marker ends: segments with a length, and after each
/// start of scan the entropy-coded data, in which `FF` is followed by `00`
/// (a stuffed byte) or a restart marker `D0`–`D7`.
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    const EOI: u8 = 0xD9;
    const SOS: u8 = 0xDA;
    let mut at = 2; // after SOI
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            EOI => return Some(at + 2),
            0xD0..=0xD7 | 0x01 => at += 2,
            _ => {
                let length = usize::from(u16::from_be_bytes([
                    *bytes.get(at + 2)?,
                    *bytes.get(at + 3)?,
                ]));
                at = at + 2 + length;
                if marker == SOS {
                    // Skip the entropy-coded data up to the next real marker.
                    loop {
                        if *bytes.get(at)? == 0xFF {
                            match *bytes.get(at + 1)? {
                                0x00 | 0xD0..=0xD7 => at += 2,
                                _ => break,
                            }
                        } else {
                            at += 1;
                        }
                    }
                }
            }
        }
    }
}

/// A RIFF file (WebP) is 8 bytes of header and as many as it says.
fn riff_end(bytes: &[u8]) -> Option<usize> {
    le_u32(bytes, 4)?.checked_add(8)
}

/// A BMP says its own file size at offset 2.
fn bmp_end(bytes: &[u8]) -> Option<usize> {
    le_u32(bytes, 2)
}
