//! Devices paired with `serve --lan`: pairing one, finding one by its
//! token, listing and forgetting them.

use crate::*;

impl Service {
    /// Pairs a device named `name` (from its browser) at `now`; gives it
    /// and the token it will show from now on (random, shown once, stored
    /// only hashed).
    pub fn pair_device(
        &mut self,
        name: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<(DeviceDto, String)> {
        let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let device = notedeck_core::devices::pair(&mut self.collection, &id, name, &token, now)?;
        Ok((device.into(), token))
    }

    /// The paired device that holds `token`, if any.
    pub fn device_holding(&self, token: &str) -> ApiResult<Option<DeviceDto>> {
        Ok(notedeck_core::devices::holding(&self.collection, token)?.map(Into::into))
    }

    /// Records that the device `id` was seen at `now`.
    pub fn device_seen(&mut self, id: &str, now: DateTime<Utc>) -> ApiResult<()> {
        Ok(notedeck_core::devices::seen(&mut self.collection, id, now)?)
    }

    /// Every paired device, the most recently paired first.
    pub fn devices(&self) -> ApiResult<Vec<DeviceDto>> {
        Ok(self
            .collection
            .reader()
            .devices()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Forgets the device `id`: its token opens nothing from now on.
    pub fn forget_device(&mut self, id: &str) -> ApiResult<Vec<DeviceDto>> {
        notedeck_core::devices::forget(&mut self.collection, id)?;
        self.devices()
    }
}
