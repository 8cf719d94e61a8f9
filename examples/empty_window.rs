//! An empty eframe window built exactly like demarc (glow, same features), used as the baseline
//! for the startup measurement in `benches/startup.sh`. Closes after `DEMARC_EXIT_AFTER_FRAMES`.

struct Empty {
    frames: u64,
    exit_after: Option<u64>,
}

impl eframe::App for Empty {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.frames += 1;
        if self.exit_after.is_some_and(|n| self.frames >= n) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| ui.label("empty"));
    }
}

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1440.0, 900.0]),
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    let exit_after = std::env::var("DEMARC_EXIT_AFTER_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok());
    eframe::run_native(
        "empty",
        options,
        Box::new(move |_| {
            Ok(Box::new(Empty {
                frames: 0,
                exit_after,
            }))
        }),
    )
}
