//! Hostile inputs and shared folders (issue 13): every defect the red-team pass found, each
//! with the input or the race that showed it. One module per area.

mod inputs;
