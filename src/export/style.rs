//! The colours of the pictures and workbooks: the same owner colours as the window's light
//! theme (Okabe–Ito based, safe for the common colour-vision deficiencies), as `0xRRGGBB`.
//! Every coloured cell also carries its owner in words, so colour is never the only channel.

use crate::model::engagement::Status;
use crate::model::owner::Owner;

/// Cell fill for an owner.
pub fn owner_fill(owner: Owner) -> u32 {
    match owner {
        Owner::Aws => 0x9E_CB_EC,
        Owner::Shared => 0xE6_B8_D5,
        Owner::Customer => 0xF7_CD_6E,
        Owner::NotApplicable => 0xE4_E4_E4,
    }
}

/// Text on an owner fill.
pub fn owner_text(owner: Owner) -> u32 {
    match owner {
        Owner::NotApplicable => 0x55_55_55,
        _ => 0x10_10_10,
    }
}

/// Fill for an item status (progress bars, the status column). None is an owner's fill, so a
/// report's owner chart and its progress chart never use one colour for two meanings (only
/// "not applicable" is grey in both, and means the same).
pub fn status_fill(status: Status) -> u32 {
    match status {
        Status::Open => 0xF3_B3_A6,
        Status::InProgress => 0xC9_B8_E8,
        Status::Done => 0x8F_D1_A0,
        Status::NotApplicable => 0xC8_C8_C8,
        Status::RiskAccepted => 0xD9_A4_41,
    }
}

/// Failing evidence, passing evidence, and the mark of a changed row.
pub const FAIL: u32 = 0xD5_5E_00;
pub const PASS: u32 = 0x00_9E_73;
pub const CHANGED: u32 = 0xCC_79_A7;
/// Headers and bands.
pub const HEADER_FILL: u32 = 0x24_3B_53;
pub const HEADER_TEXT: u32 = 0xFF_FF_FF;
pub const BAND_FILL: u32 = 0xE8_EE_F4;
pub const INK: u32 = 0x1B_1F_24;
pub const WEAK: u32 = 0x57_60_6A;
pub const RULE: u32 = 0xD0_D7_DE;

/// `#rrggbb` for SVG and CSS.
pub fn hex(color: u32) -> String {
    format!("#{color:06x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_status_shares_a_fill_with_an_owner_of_another_meaning() {
        for status in Status::ALL {
            for owner in Owner::ALL {
                let same_meaning = status == Status::NotApplicable && owner == Owner::NotApplicable;
                assert!(
                    same_meaning || status_fill(status) != owner_fill(owner),
                    "{status:?} and {owner:?} share a fill"
                );
            }
        }
    }

    #[test]
    fn colours_print_as_css_hex() {
        assert_eq!(hex(owner_fill(Owner::Aws)), "#9ecbec");
        assert_eq!(hex(HEADER_TEXT), "#ffffff");
        assert_eq!(hex(0x00_00_0a), "#00000a");
    }
}
