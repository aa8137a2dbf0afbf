import { formatMoney } from './util/format';

export type OrderState = 'pending' | 'paid' | 'shipped' | 'cancelled';

export interface Order {
  id: number;
  customer: string;
  totalCents: number;
  state: OrderState;
}

/** Orders that still need someone's attention, oldest first. */
export function openOrders(orders: readonly Order[]): Order[] {
  return orders.filter((o) => o.state === 'pending' || o.state === 'paid').sort((a, b) => a.id - b.id);
}

export function describeOrder(order: Order): string {
  return `#${order.id} for ${order.customer}: ${formatMoney(order.totalCents)} (${order.state})`;
}
