//! `notedeck devices`: the devices paired with `serve --lan`, listed and
//! forgotten (a forgotten device's token opens nothing).

use serde_json::Value;

use crate::support::Env;

#[test]
fn devices_are_listed_and_a_forgotten_one_is_gone() {
    let env = Env::new();
    assert_eq!(env.ok(&["devices"]).trim(), "No device is paired.");
    let now = "2026-03-01T09:00:00Z".parse().expect("time");
    let (device, token) = {
        let mut service = notedeck_api::Service::open(&env.db()).expect("open");
        service
            .pair_device("Firefox on Android", now)
            .expect("pair")
    };
    assert!(token.len() >= 32);
    let listed: Value = serde_json::from_str(&env.ok(&["devices", "--json"])).expect("json");
    assert_eq!(
        listed,
        serde_json::json!([{
            "id": device.id,
            "name": "Firefox on Android",
            "paired_at": "2026-03-01T09:00:00Z",
            "last_seen": "2026-03-01T09:00:00Z",
        }])
    );
    assert!(env.ok(&["devices"]).contains("Firefox on Android"));
    let forgotten = env.ok(&["devices", "--forget", &device.id]);
    assert!(forgotten.contains(&format!("Forgot the device {}", device.id)));
    let service = notedeck_api::Service::open(&env.db()).expect("open");
    assert_eq!(service.device_holding(&token).expect("lookup"), None);
    let out = env.run(&["devices", "--forget", &device.id]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no paired device"));
}
