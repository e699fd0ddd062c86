//! Wire protocols: `dubbo://` (Dubbo2 frames with Hessian2 bodies).

pub mod dubbo2;
