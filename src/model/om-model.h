/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-types.h"
#include "om-enums.h"
#include "om-opportunity-data.h"
#include "om-opportunity-summary.h"
#include "om-backend.h"
#include "om-stage.h"
#include "om-opportunity.h"
#include "om-template.h"
#include "om-opportunity-list.h"
#include "om-repository.h"
